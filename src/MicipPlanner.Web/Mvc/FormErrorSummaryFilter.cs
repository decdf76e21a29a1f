using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// A refused form always says why: when a page is shown again with errors only on fields it has no
/// place for (hidden fields, a row's number, a malformed date), the messages go to the page's summary.
/// </summary>
public sealed class FormErrorSummaryFilter : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        var state = context.ModelState;
        if (context.Result is not ViewResult || state.IsValid) return;
        if (state.TryGetValue("", out var page) && page.Errors.Count > 0) return;
        var messages = state.Where(e => e.Key.Length > 0).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage)
            .Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().Take(5).ToList();
        if (messages.Count > 0) state.AddModelError("", "Nothing was saved. " + string.Join(" ", messages));
    }

    public void OnResultExecuted(ResultExecutedContext context) { }
}
