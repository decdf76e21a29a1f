using Microsoft.AspNetCore.Mvc.Rendering;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// Pages with one small form per row (delete this group, remove that district) share field names across their forms;
/// a refused field's message belongs next to the field of the row whose form was posted, found by the route.
/// </summary>
public static class RowFormErrors
{
    /// <summary>The first message of <paramref name="field"/> when the posted form was the row whose route value
    /// <paramref name="routeKey"/> is <paramref name="rowId"/>; otherwise null.</summary>
    public static string? For(ViewContext view, string field, string routeKey, object rowId)
    {
        if (!string.Equals(view.RouteData.Values[routeKey]?.ToString(), rowId.ToString(), StringComparison.Ordinal)) return null;
        return view.ViewData.ModelState.TryGetValue(field, out var state) && state.Errors.Count > 0 ? state.Errors[0].ErrorMessage : null;
    }
}
