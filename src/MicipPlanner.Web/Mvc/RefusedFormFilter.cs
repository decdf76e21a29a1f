using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// One answer for every form page shown again while its form is refused, so that actions only rebuild their page: 400
/// unless the action chose another error status (409 for a conflict), and always saying why — errors only on fields the
/// page has no place for (hidden fields, a row's number, a malformed date) go to its summary. Scripts post to their own
/// actions (<see cref="ScriptPostAttribute"/>), which answer a refused form with the framework's validation problem.
/// </summary>
public sealed class RefusedFormFilter : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        var state = context.ModelState;
        if (context.Result is not ViewResult view || state.IsValid) return;
        var http = context.HttpContext;
        var chosen = view.StatusCode ?? http.Response.StatusCode;
        if (IsForm(http.Request) && chosen < StatusCodes.Status400BadRequest) http.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (state.TryGetValue("", out var page) && page.Errors.Count > 0) return;
        var messages = state.Where(e => e.Key.Length > 0).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage)
            .Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().Take(5).ToList();
        if (messages.Count > 0) state.AddModelError("", "Nothing was saved. " + string.Join(" ", messages));
    }

    public void OnResultExecuted(ResultExecutedContext context) { }

    // Only posted forms are refused; a page read with a malformed query string keeps its status as before.
    private static bool IsForm(HttpRequest request) => !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
}
