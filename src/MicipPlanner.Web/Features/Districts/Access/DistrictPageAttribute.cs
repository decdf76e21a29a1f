using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// A page under /districts/{districtId}: loads the district for the signed-in person before the action runs and answers
/// 404 when it is not theirs (never revealing that it exists), then 403 when they lack the permission the action
/// <see cref="Requires"/>, then names the page's section for the navigation. The action reads the result from
/// <see cref="DistrictControllerBase.CurrentDistrict"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public class DistrictPageAttribute : Attribute, IAsyncActionFilter
{
    /// <summary>The navigation section the page belongs to (ViewData["Section"]).</summary>
    public string? Section { get; set; }

    /// <summary>The permission the action requires in the district: 403 without it, before the action or its form is read.</summary>
    public Permission Requires { get; set; }

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var controller = context.Controller as DistrictControllerBase
            ?? throw new InvalidOperationException($"[{GetType().Name}] belongs on actions of a {nameof(DistrictControllerBase)}.");
        if (await LoadAsync(controller, context.RouteData.Values) is not { } district)
        {
            context.Result = new NotFoundResult();
            return;
        }
        if (!district.Permissions.Grant(Requires))
        {
            context.Result = DistrictControllerBase.Forbidden;
            return;
        }
        if (Section is not null) controller.ViewData["Section"] = Section;
        await next();
    }

    private protected virtual async Task<DistrictContext?> LoadAsync(DistrictControllerBase controller, RouteValueDictionary route) =>
        RouteId(route, "districtId") is { } districtId ? await controller.LoadDistrictAsync(districtId) : null;

    private protected static int? RouteId(RouteValueDictionary route, string name) =>
        int.TryParse(route[name]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;
}

/// <summary>
/// A page under /districts/{districtId}/cycles/{cycleId}: as <see cref="DistrictPageAttribute"/>, and also 404 when the
/// cycle is not the district's. The action reads the result from <see cref="DistrictControllerBase.CurrentCycle"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CyclePageAttribute : DistrictPageAttribute
{
    private protected override async Task<DistrictContext?> LoadAsync(DistrictControllerBase controller, RouteValueDictionary route) =>
        RouteId(route, "districtId") is { } districtId && RouteId(route, "cycleId") is { } cycleId
            ? (await controller.LoadCycleAsync(districtId, cycleId))?.District
            : null;
}
