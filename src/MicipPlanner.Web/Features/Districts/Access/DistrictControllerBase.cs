using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// Base of controllers under /districts/{districtId}: loads the district for the signed-in person
/// and answers 404 when it is not theirs (never revealing that it exists).
/// </summary>
[Authorize]
public abstract class DistrictControllerBase(DistrictPageServices services) : Controller
{
    protected AppDbContext Db { get; } = services.Db;
    protected DistrictAccessService Access { get; } = services.Access;
    protected ToolkitCatalog Toolkits { get; } = services.Toolkits;
    protected TimeProvider Clock { get; } = services.Clock;
    protected string CurrentUserId => Access.UserId ?? throw new InvalidOperationException("No signed-in user.");

    private DistrictContext? _district;
    private CycleContext? _cycle;

    /// <summary>The district of the page, loaded by <see cref="DistrictPageAttribute"/> or <see cref="CyclePageAttribute"/>.</summary>
    protected DistrictContext CurrentDistrict => _district ?? throw new InvalidOperationException("The action has no [DistrictPage] or [CyclePage].");

    /// <summary>The cycle of the page, loaded by <see cref="CyclePageAttribute"/>.</summary>
    protected CycleContext CurrentCycle => _cycle ?? throw new InvalidOperationException("The action has no [CyclePage].");

    /// <summary>Null when the district does not exist for this person: answer <see cref="ControllerBase.NotFound()"/>.</summary>
    protected internal async Task<DistrictContext?> LoadDistrictAsync(int districtId)
    {
        // Permissions and district in one query: every district page starts with it.
        _district = await Access.LoadAsync(districtId, HttpContext.RequestAborted);
        if (_district is not null) ViewData[nameof(DistrictContext)] = _district;
        return _district;
    }

    /// <summary>Null when the district is not theirs or the cycle is not the district's.</summary>
    protected internal async Task<CycleContext?> LoadCycleAsync(int districtId, int cycleId)
    {
        // Permissions, district and cycle in one query (the district alone is then answered from the same load).
        _cycle = await Access.LoadCycleAsync(districtId, cycleId, HttpContext.RequestAborted);
        _district = _cycle?.District ?? await Access.LoadAsync(districtId, HttpContext.RequestAborted);
        if (_district is not null) ViewData[nameof(DistrictContext)] = _district;
        if (_cycle is not null) ViewData[nameof(CycleContext)] = _cycle;
        return _cycle;
    }

    /// <summary>The toolkit the cycle was made with, so old cycles keep their own descriptors.</summary>
    protected ToolkitDefinition ToolkitOf(CycleContext cycle) => Toolkits.Get(cycle.ToolkitKey, cycle.ToolkitVersion);

    /// <summary>Signed in and allowed to see the district, but not to do this: 403 with a friendly page.</summary>
    protected IActionResult Denied() => Forbidden;

    internal static readonly StatusCodeResult Forbidden = new(StatusCodes.Status403Forbidden);
}
