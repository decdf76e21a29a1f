using Microsoft.AspNetCore.Mvc.ActionConstraints;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// The script's side of a form post (an autosave, the meeting's check-ins): the same address as the form, chosen when the
/// request asks for JSON (<c>Accept: application/json</c>), so that the form's action only ever answers pages and this one
/// only JSON — a refused save is answered with the framework's validation problem, never a page built and thrown away.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ScriptPostAttribute : Attribute, IActionConstraint
{
    public int Order => 0;

    public bool Accept(ActionConstraintContext context) => WantsJson(context.RouteContext.HttpContext.Request);

    /// <summary>Whether the caller is a script that reads JSON answers rather than a browser showing the page.</summary>
    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
}
