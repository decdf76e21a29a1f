using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// One answer for every refused form, so that actions only rebuild their page. A script posting with
/// <c>Accept: application/json</c> gets a 400 validation problem (<see cref="SaveProblems.Invalid"/>) and, when the form
/// is already refused by its binding and validator, the action does not run. A page shown again while the form is
/// refused answers 400 unless the action chose another error status (409 for a conflict), and always says why: errors
/// only on fields the page has no place for (hidden fields, a row's number, a malformed date) go to its summary.
/// </summary>
public sealed class RefusedFormFilter : IActionFilter, IResultFilter, IOrderedFilter
{
    /// <summary>After the district and cycle filters (<c>[DistrictPage]</c>, order 0): another district's form still answers 404.</summary>
    public int Order => 100;

    public void OnActionExecuting(ActionExecutingContext context)
    {
        var request = context.HttpContext.Request;
        if (context.ModelState.IsValid || !IsForm(request) || !request.WantsJson()) return;
        if (context.ActionDescriptor.EndpointMetadata.OfType<ChecksBeforeValidationAttribute>().Any()) return;
        context.Result = SaveProblems.Invalid(context.HttpContext, context.ModelState);
    }

    public void OnActionExecuted(ActionExecutedContext context) { }

    public void OnResultExecuting(ResultExecutingContext context)
    {
        var state = context.ModelState;
        if (context.Result is not ViewResult view || state.IsValid) return;
        var http = context.HttpContext;
        var chosen = view.StatusCode ?? http.Response.StatusCode;
        if (IsForm(http.Request) && chosen < StatusCodes.Status400BadRequest)
        {
            // A script's refused form: the page the action built is not what it reads.
            if (http.Request.WantsJson())
            {
                context.Result = SaveProblems.Invalid(http, state);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        if (state.TryGetValue("", out var page) && page.Errors.Count > 0) return;
        var messages = state.Where(e => e.Key.Length > 0).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage)
            .Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().Take(5).ToList();
        if (messages.Count > 0) state.AddModelError("", "Nothing was saved. " + string.Join(" ", messages));
    }

    public void OnResultExecuted(ResultExecutedContext context) { }

    // Only posted forms are refused; a page read with a malformed query string keeps its status as before.
    private static bool IsForm(HttpRequest request) => !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
}

/// <summary>
/// The action answers its own refusals first (a row that does not exist 404, no permission 403, a locked record 409) and
/// only then a refused form, by showing its page again: <see cref="RefusedFormFilter"/> then answers a script's refused
/// form with the validation problem instead of the page. Used by the autosave endpoints, whose scripts act on those
/// statuses.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChecksBeforeValidationAttribute : Attribute;
