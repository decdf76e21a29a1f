using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Districts;

[Route("districts")]
public sealed class DistrictsController(DistrictPageServices services) : DistrictControllerBase(services)
{
    [HttpGet("new"), Authorize(Roles = AppRoles.Admin)]
    public IActionResult New() => View("Edit", new DistrictForm());

    [HttpPost("new"), Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Create(DistrictForm form)
    {
        if (!ModelState.IsValid) return View("Edit", form);
        var district = new District
        {
            Name = FormText.Clean(form.Name),
            Code = FormText.Clean(form.Code),
            Isd = FormText.Clean(form.Isd),
            TimeZoneId = form.TimeZoneId,
            AnyBuildingMemberMaySubmit = form.AnyBuildingMemberMaySubmit,
            PlanApproachingDays = form.PlanApproachingDays,
            PlanStaleAfterDays = form.PlanStaleAfterDays,
            CreatedAt = Clock.GetUtcNow(),
        };
        Db.Districts.Add(district);
        await Db.SaveChangesAsync();
        TempData["Status"] = $"{district.Name} was created. Add its buildings, team and first improvement cycle.";
        return RedirectToAction("Index", "Organisation", new { districtId = district.Id });
    }

    [HttpGet("{districtId:int}/edit")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> Edit(int districtId)
    {
        var context = CurrentDistrict;
        var form = await Db.Districts.Where(d => d.Id == districtId).Select(d => new DistrictForm
        {
            Id = d.Id, Name = d.Name, Code = d.Code, Isd = d.Isd, TimeZoneId = d.TimeZoneId,
            AnyBuildingMemberMaySubmit = d.AnyBuildingMemberMaySubmit, SharesWithNetworks = d.SharesWithNetworks, Version = d.Version,
            PlanApproachingDays = d.PlanApproachingDays, PlanStaleAfterDays = d.PlanStaleAfterDays,
        }).SingleAsync();
        await AddSharingFactsAsync(form, context);
        return View(form);
    }

    [HttpPost("{districtId:int}/edit")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> Edit(int districtId, DistrictForm form)
    {
        var context = CurrentDistrict;
        await AddSharingFactsAsync(form, context);
        if (!ModelState.IsValid) return View(form);
        var district = await Db.Districts.SingleAsync(d => d.Id == districtId);
        // Only the key leader speaks for the district here; for anyone else the stored choice stands whatever is posted.
        if (context.Permissions.CanChangeNetworkSharing) district.SharesWithNetworks = form.SharesWithNetworks;
        else form.SharesWithNetworks = district.SharesWithNetworks;
        Db.ShownAs(district, form.Version);
        district.Name = FormText.Clean(form.Name);
        district.Code = FormText.Clean(form.Code);
        district.Isd = FormText.Clean(form.Isd);
        district.TimeZoneId = form.TimeZoneId;
        district.AnyBuildingMemberMaySubmit = form.AnyBuildingMemberMaySubmit;
        district.PlanApproachingDays = form.PlanApproachingDays;
        district.PlanStaleAfterDays = form.PlanStaleAfterDays;
        if (!await this.SavedWithoutConflictAsync(Db, "Someone else changed this district while you were editing. Reload the page to see their changes, then make yours again."))
            return View(form);
        TempData["Status"] = "District details saved.";
        return RedirectToAction("Index", "Organisation", new { districtId });
    }

    private async Task AddSharingFactsAsync(DistrictForm form, DistrictContext context)
    {
        form.CanChangeSharing = context.Permissions.CanChangeNetworkSharing;
        form.Networks = await Db.NetworkMemberships.Where(m => m.DistrictId == context.DistrictId)
            .Join(Db.Networks, m => m.NetworkId, n => n.Id, (m, n) => n.Name).OrderBy(n => n).ToListAsync();
        if (!form.CanChangeSharing)
            form.SharesWithNetworks = await Db.Districts.Where(d => d.Id == context.DistrictId).Select(d => d.SharesWithNetworks).SingleAsync();
    }

    /// <summary>The district's newest cycle, or a page to start the first one.</summary>
    [HttpGet("{districtId:int}")]
    [DistrictPage]
    public async Task<IActionResult> Show(int districtId)
    {
        var context = CurrentDistrict;
        var cycleId = await Db.Cycles.Where(c => c.DistrictId == districtId).OrderByDescending(c => c.StartYear)
            .Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (cycleId is not null) return RedirectToAction(nameof(Dashboard), new { districtId, cycleId });
        return View("NoCycle", context);
    }

    [HttpGet("{districtId:int}/cycles/{cycleId:int}")]
    [CyclePage(Section = "dashboard")]
    public async Task<IActionResult> Dashboard(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var toolkit = ToolkitOf(cycle);
        var today = TimeZones.DateIn(Clock.GetUtcNow(), cycle.District.TimeZone);
        var data = await LoadDashboardAsync(districtId, cycleId);
        var openActions = data.Actions.Select(a => a with { IsOverdue = a.DueDate is { } due && due < today }).ToList();
        var plan = ActivityStamp.Glance(data.Activities, today, cycle.District.Windows);
        return View(new DashboardViewModel(cycle, toolkit.Rubric.Rows.Count, data.Groups, data.ConsensusRows, data.Buildings, openActions, data.Cycles, plan));
    }

    /// <summary>The dashboard's figures, the same for everyone who may see the district (overdue is worked out per request).</summary>
    private sealed record DashboardData(IReadOnlyList<GroupProgress> Groups, int ConsensusRows, IReadOnlyList<BuildingTemplateState> Buildings,
        IReadOnlyList<OpenAction> Actions, IReadOnlyList<CycleLink> Cycles, IReadOnlyList<ActivityStamp> Activities);

    private async Task<DashboardData> LoadDashboardAsync(int districtId, int cycleId)
    {
        var groups = await GroupsOfCycle(Db, cycleId).ToListAsync();
        var consensusCount = await ConsensusRowsOfCycle(Db, cycleId);
        var buildings = await BuildingsWithTemplate(Db, districtId, cycleId).ToListAsync();
        var buildingStates = buildings.Select(b => new BuildingTemplateState(b.Id, b.Name,
            b.Template is null ? "Not started" : b.Template.State.DisplayName(),
            b.Template?.SubmittedAt ?? b.Template?.UpdatedAt, b.ReportsWaiting)).ToList();
        var actions = await OpenActionsOfCycle(Db, cycleId).ToListAsync();
        var openActions = actions.Select(a => new OpenAction(a.Id, a.Title, a.Owner, a.DueDate, a.Status.DisplayName(), IsOverdue: false)).ToList();
        var cycles = await CyclesOfDistrict(Db, districtId).ToListAsync();
        var activities = await ActivitiesOfCycle(Db, cycleId).ToListAsync();
        return new DashboardData(groups, consensusCount, buildingStates, openActions, cycles, activities);
    }

    private sealed record TemplateStamp(TemplateState State, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt);

    private sealed record BuildingRow(int Id, string Name, TemplateStamp? Template, int ReportsWaiting);

    private sealed record ActionRow(int Id, string Title, DateOnly? DueDate, ActionStatus Status, string? Owner);

    // Compiled once: after every save in the district the dashboard reads these again, and translating the trees
    // anew each time was a large share of the page.
    private static readonly Func<AppDbContext, int, IAsyncEnumerable<GroupProgress>> GroupsOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.RatingGroups.AsNoTracking().Where(g => g.CycleId == cycleId).OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new GroupProgress(g.Name, g.Ratings.Count(r => r.Level != null))));

    private static readonly Func<AppDbContext, int, Task<int>> ConsensusRowsOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.ConsensusRatings.Count(c => c.CycleId == cycleId));

    private static readonly Func<AppDbContext, int, int, IAsyncEnumerable<BuildingRow>> BuildingsWithTemplate = EF.CompileAsyncQuery(
        (AppDbContext db, int districtId, int cycleId) => db.Buildings.AsNoTracking().Where(b => b.DistrictId == districtId).OrderBy(b => b.Name)
            .Select(b => new BuildingRow(b.Id, b.Name,
                db.BalanceTemplates.Where(t => t.CycleId == cycleId && t.BuildingId == b.Id)
                    .Select(t => new TemplateStamp(t.State, t.UpdatedAt, t.SubmittedAt)).FirstOrDefault(),
                // Read in the same statement: the building monitoring reports it submitted that wait for the district team.
                db.BuildingReports.Count(r => r.CycleId == cycleId && r.BuildingId == b.Id && r.State == TemplateState.Submitted))));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<ActionRow>> OpenActionsOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.ActionItems.AsNoTracking().Where(a => a.CycleId == cycleId && a.Status != ActionStatus.Done)
            .OrderBy(a => a.DueDate == null).ThenBy(a => a.DueDate)
            .Select(a => new ActionRow(a.Id, a.Title, a.DueDate, a.Status,
                db.Users.NameOf(a.OwnerUserId)))
            .Take(50));

    // The activities of goals still worked on (an archived goal's work is put away), each with its last check-in.
    private static readonly Func<AppDbContext, int, IAsyncEnumerable<ActivityStamp>> ActivitiesOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.PlanActivities.AsNoTracking().Where(a => a.CycleId == cycleId)
            .Where(a => db.PlanStrategies.Any(s => s.Id == a.StrategyId && db.PlanGoals.Any(g => g.Id == s.GoalId && g.State != GoalState.Archived)))
            .Select(a => new ActivityStamp(a.CycleId, a.StartDate, a.DueDate, a.DoneDate,
                db.PlanCheckIns.Where(c => c.ActivityId == a.Id).Max(c => (DateOnly?)c.Date),
                db.PlanCheckIns.Where(c => c.ActivityId == a.Id).OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
                    .Select(c => (TeamJudgment?)c.Judgment).FirstOrDefault())));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<CycleLink>> CyclesOfDistrict = EF.CompileAsyncQuery(
        (AppDbContext db, int districtId) => db.Cycles.AsNoTracking().Where(c => c.DistrictId == districtId).OrderByDescending(c => c.StartYear)
            .Select(c => new CycleLink(c.Id, c.StartYear)));
}
