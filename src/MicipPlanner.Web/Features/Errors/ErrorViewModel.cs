namespace MicipPlanner.Web.Features.Errors;

public sealed record ErrorViewModel(int StatusCode, string CorrelationId)
{
    public string Title => StatusCode switch
    {
        403 => "You don't have permission to do that",
        404 => "Page not found",
        400 => "The request could not be understood",
        409 => "Someone else changed this first",
        429 => "Too many attempts",
        503 => "Temporarily unavailable",
        _ => "Something went wrong",
    };

    public string Message => StatusCode switch
    {
        403 => "Your role on this team doesn't allow this action. Ask your district's key leader or facilitator if you need it.",
        404 => "The page doesn't exist, or you don't have access to it.",
        400 => "Reload the page and try again.",
        429 => "There were too many attempts from your network in a short time. Wait a minute, then try again.",
        _ => "The problem has been logged. Try again in a moment; if it keeps happening, give this reference to your administrator.",
    };
}
