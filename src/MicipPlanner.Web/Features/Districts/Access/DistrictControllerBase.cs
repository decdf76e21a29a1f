using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Mvc;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// What every district page knows: the district, the person's permissions, the district's data version when the
/// request began (see <see cref="PageDataCache"/>), and the cycle (if any).
/// </summary>
public sealed record DistrictContext(int DistrictId, string DistrictName, string TimeZoneId, DistrictPermissions Permissions, long DataVersion)
{
    public TimeZoneInfo TimeZone => TimeZones.Find(TimeZoneId);
}

public sealed record CycleContext(DistrictContext District, int CycleId, int StartYear, string ToolkitKey, int ToolkitVersion,
    DateTimeOffset? RubricFinalizedAt)
{
    public int DistrictId => District.DistrictId;
    public DistrictPermissions Permissions => District.Permissions;
    public string SchoolYear => SchoolYears.Format(StartYear);
    public bool IsRubricFinalized => RubricFinalizedAt is not null;
}

/// <summary>
/// Base of controllers under /districts/{districtId}: loads the district for the signed-in person
/// and answers 404 when it is not theirs (never revealing that it exists).
/// </summary>
[Authorize]
public abstract class DistrictControllerBase : Controller
{
    protected AppDbContext Db => HttpContext.RequestServices.GetRequiredService<AppDbContext>();
    protected DistrictAccessService Access => HttpContext.RequestServices.GetRequiredService<DistrictAccessService>();
    protected ToolkitCatalog Toolkits => HttpContext.RequestServices.GetRequiredService<ToolkitCatalog>();
    protected TimeProvider Clock => HttpContext.RequestServices.GetRequiredService<TimeProvider>();
    protected PageDataCache PageData => HttpContext.RequestServices.GetRequiredService<PageDataCache>();
    protected string CurrentUserId => Access.UserId ?? throw new InvalidOperationException("No signed-in user.");

    /// <summary>Null when the district does not exist for this person: answer <see cref="ControllerBase.NotFound()"/>.</summary>
    protected async Task<DistrictContext?> LoadDistrictAsync(int districtId) => (await LoadAsync(districtId, null)).District;

    /// <summary>Null when the district is not theirs or the cycle is not the district's.</summary>
    protected async Task<CycleContext?> LoadCycleAsync(int districtId, int cycleId) => (await LoadAsync(districtId, cycleId)).Cycle;

    private async Task<(DistrictContext? District, CycleContext? Cycle)> LoadAsync(int districtId, int? cycleId)
    {
        // Permissions, district and cycle in one query: every district page starts with it.
        var facts = await Access.LoadAsync(districtId, cycleId, HttpContext.RequestAborted);
        if (facts is null) return (null, null);
        var district = new DistrictContext(districtId, facts.Name, facts.TimeZoneId, facts.Permissions, facts.DataVersion);
        ViewData[nameof(DistrictContext)] = district;
        if (facts.Cycle is not { } c) return (district, null);
        var cycle = new CycleContext(district, c.Id, c.StartYear, c.ToolkitKey, c.ToolkitVersion, c.RubricFinalizedAt);
        ViewData[nameof(CycleContext)] = cycle;
        return (district, cycle);
    }

    /// <summary>
    /// The page data from <see cref="PageDataCache"/> when <paramref name="reuse"/> (a GET), else read now (a request that
    /// wrote, or answers a refused form, has a data version that is already behind).
    /// </summary>
    protected Task<T> PageDataAsync<T>(bool reuse, DistrictContext district, string page, Func<Task<T>> load) where T : class =>
        reuse ? PageData.GetAsync(district, page, load) : load();

    /// <summary>The toolkit the cycle was made with, so old cycles keep their own descriptors.</summary>
    protected ToolkitDefinition ToolkitOf(CycleContext cycle) => Toolkits.Get(cycle.ToolkitKey, cycle.ToolkitVersion);

    /// <summary>Signed in and allowed to see the district, but not to do this: 403 with a friendly page.</summary>
    protected IActionResult Denied() => StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>The record changed since the form was loaded.</summary>
    protected static bool IsConcurrencyConflict(Exception ex) => ex is DbUpdateConcurrencyException;
}
