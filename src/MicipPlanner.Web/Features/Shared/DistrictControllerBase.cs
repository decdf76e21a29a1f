using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Shared;

/// <summary>What every district page knows: the district, the person's permissions, and the cycle (if any).</summary>
public sealed record DistrictContext(int DistrictId, string DistrictName, string TimeZoneId, DistrictPermissions Permissions)
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
    protected string CurrentUserId => Access.UserId ?? throw new InvalidOperationException("No signed-in user.");

    /// <summary>Null when the district does not exist for this person: answer <see cref="ControllerBase.NotFound()"/>.</summary>
    protected async Task<DistrictContext?> LoadDistrictAsync(int districtId)
    {
        // One connection for the whole request: otherwise every query takes a connection from the pool and
        // sets it up again (on SQLite that registers the provider's functions on each open).
        await Db.Database.OpenConnectionAsync(HttpContext.RequestAborted);
        var permissions = await Access.ForDistrictAsync(districtId, HttpContext.RequestAborted);
        if (permissions is null) return null;
        var district = await Db.Districts.Where(d => d.Id == districtId)
            .Select(d => new { d.Name, d.TimeZoneId })
            .AsNoTracking().SingleAsync(HttpContext.RequestAborted);
        var context = new DistrictContext(districtId, district.Name, district.TimeZoneId, permissions);
        ViewData[nameof(DistrictContext)] = context;
        return context;
    }

    /// <summary>Null when the district is not theirs or the cycle is not the district's.</summary>
    protected async Task<CycleContext?> LoadCycleAsync(int districtId, int cycleId)
    {
        var district = await LoadDistrictAsync(districtId);
        if (district is null) return null;
        var cycle = await Db.Cycles.Where(c => c.Id == cycleId && c.DistrictId == districtId)
            .Select(c => new { c.StartYear, c.ToolkitKey, c.ToolkitVersion, c.RubricFinalizedAt })
            .AsNoTracking().SingleOrDefaultAsync(HttpContext.RequestAborted);
        if (cycle is null) return null;
        var context = new CycleContext(district, cycleId, cycle.StartYear, cycle.ToolkitKey, cycle.ToolkitVersion, cycle.RubricFinalizedAt);
        ViewData[nameof(CycleContext)] = context;
        return context;
    }

    /// <summary>The toolkit the cycle was made with, so old cycles keep their own descriptors.</summary>
    protected ToolkitDefinition ToolkitOf(CycleContext cycle) => Toolkits.Get(cycle.ToolkitKey, cycle.ToolkitVersion);

    /// <summary>Signed in and allowed to see the district, but not to do this: 403 with a friendly page.</summary>
    protected IActionResult Denied() => StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>The record changed since the form was loaded.</summary>
    protected static bool IsConcurrencyConflict(Exception ex) => ex is DbUpdateConcurrencyException;
}
