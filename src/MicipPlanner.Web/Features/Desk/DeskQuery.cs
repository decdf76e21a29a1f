using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Desk;

public sealed record DeskGroup(string Name, int RowsRated);

public sealed record DeskTemplateCounts(int NotStarted, int Draft, int Submitted, int Returned, int Accepted);

/// <summary>One district on the desk: its current cycle's progress, and what waits for the district side.</summary>
public sealed record DeskRow(int DistrictId, string Name, TimeZoneInfo Zone, int? CycleId, string? SchoolYear, int RubricRows,
    IReadOnlyList<DeskGroup> Groups, int ConsensusRows, bool Finalized, DeskTemplateCounts Templates, int OpenActions, int OverdueActions,
    DateTimeOffset? LastActivity, DateTimeOffset? OldestWaitingSince, PlanGlance Plan, int ReportsWaiting = 0);

/// <summary>What a building submitted for the district side's review.</summary>
public enum QueueKind { Template, MonitoringReport }

/// <summary>
/// A submitted building template or monitoring report waiting for the district side's review (a report names its period).
/// </summary>
public sealed record QueueItem(int DistrictId, string DistrictName, int CycleId, string SchoolYear, int BuildingId, string BuildingName,
    DateTimeOffset SubmittedAt, int DaysWaiting, Guid Version, TimeZoneInfo Zone, QueueKind Kind = QueueKind.Template, int? PeriodId = null,
    string? PeriodName = null);

public sealed record DeskPage(IReadOnlyList<DeskRow> Rows, IReadOnlyList<QueueItem> Queue, string Sort, bool IsAdmin, bool IsFacilitator,
    DateTimeOffset Now, bool ForPrint = false);

/// <summary>
/// Everything on the facilitator's desk in a fixed number of queries, whatever the number of districts: each figure is
/// one grouped query over all the person's districts (never a query per district).
/// </summary>
public sealed class DeskQuery(AppDbContext db, DistrictAccessService access, ToolkitCatalog toolkits, TimeProvider clock)
{
    public const string SortNeedsMe = "needs-me";
    public const string SortName = "name";

    /// <summary>
    /// Districts on the person's desk: all for an administrator, the assigned ones for a facilitator, and for a key
    /// leader their own district (whose queue they work through).
    /// </summary>
    public IQueryable<int> DeskDistrictIds()
    {
        if (access.IsAdmin) return db.Districts.Select(d => d.Id);
        var userId = access.UserId ?? "";
        var facilitated = db.FacilitatorAssignments.Where(f => f.UserId == userId).Select(f => f.DistrictId);
        var led = db.TeamMemberships.Where(m => m.UserId == userId && m.BuildingId == null && m.Role == TeamRole.KeyLeader).Select(m => m.DistrictId);
        return facilitated.Union(led);
    }

    public async Task<DeskPage> LoadAsync(string? sort, bool isFacilitator, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ids = DeskDistrictIds();
        // The newest cycle of each of the person's districts. (Asking each district for its newest cycle instead makes
        // the database number every cycle of the state first.)
        var currentCycles = db.Cycles.Where(c => ids.Contains(c.DistrictId)
            && c.StartYear == db.Cycles.Where(x => x.DistrictId == c.DistrictId).Max(x => x.StartYear));
        // One statement for every single figure of a row: each is a step down an index of its district or cycle, and
        // SQLite prepares and plans one statement instead of one per figure (preparing was a fifth of the desk's cost).
        var districts = await (
                from d in db.Districts.AsNoTracking()
                where ids.Contains(d.Id)
                join newest in currentCycles on d.Id equals newest.DistrictId into found
                from c in found.DefaultIfEmpty()
                select new
                {
                    d.Id, d.Name, d.TimeZoneId, d.PlanApproachingDays, d.PlanStaleAfterDays, Buildings = d.Buildings.Count(),
                    // One entry of the audit trail's (district, time) index per district, rather than grouping every audit
                    // entry of the person's districts (about 15,000 for a desk of 40).
                    LastActivity = db.AuditEntries.Where(e => e.DistrictId == d.Id).Max(e => (DateTimeOffset?)e.At),
                    CycleId = (int?)c.Id, StartYear = (int?)c.StartYear, c.ToolkitKey, ToolkitVersion = (int?)c.ToolkitVersion,
                    Finalized = c.RubricFinalizedAt != null,
                    Consensus = db.ConsensusRatings.Count(x => x.CycleId == c.Id),
                    Draft = db.BalanceTemplates.Count(t => t.CycleId == c.Id && t.BuildingId != null && t.State == TemplateState.Draft),
                    Submitted = db.BalanceTemplates.Count(t => t.CycleId == c.Id && t.BuildingId != null && t.State == TemplateState.Submitted),
                    Returned = db.BalanceTemplates.Count(t => t.CycleId == c.Id && t.BuildingId != null && t.State == TemplateState.Returned),
                    Accepted = db.BalanceTemplates.Count(t => t.CycleId == c.Id && t.BuildingId != null && t.State == TemplateState.Accepted),
                    OpenActions = db.ActionItems.Count(a => a.CycleId == c.Id && a.Status != ActionStatus.Done),
                })
            .ToListAsync(cancellationToken);

        var current = currentCycles.Select(c => c.Id);
        var groups = await db.RatingGroups.AsNoTracking().Where(g => current.Contains(g.CycleId))
            .OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new { g.CycleId, g.Name, Rated = g.Ratings.Count(r => r.Level != null) })
            .ToListAsync(cancellationToken);
        // Overdue is "due before today in the district's zone", so only open items due before the latest today on earth
        // can be overdue anywhere; each district's own today sorts them below.
        var latestToday = DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));
        var dueSoon = await db.ActionItems
            .Where(a => a.Status != ActionStatus.Done && a.DueDate != null && a.DueDate < latestToday && current.Contains(a.CycleId))
            .GroupBy(a => new { a.CycleId, a.DueDate }).Select(g => new { g.Key.CycleId, g.Key.DueDate, Count = g.Count() })
            .ToListAsync(cancellationToken);
        // The plan's open activities of every current cycle (done ones count in nothing the desk shows), in one statement.
        var activities = await db.PlanActivities.AsNoTracking()
            .Where(a => a.DoneDate == null && current.Contains(a.CycleId)
                && db.PlanStrategies.Any(s => s.Id == a.StrategyId && db.PlanGoals.Any(g => g.Id == s.GoalId && g.State != GoalState.Archived)))
            .Select(a => new ActivityStamp(a.CycleId, a.StartDate, a.DueDate, a.DoneDate,
                db.PlanCheckIns.Where(c => c.ActivityId == a.Id).Max(c => (DateOnly?)c.Date),
                db.PlanCheckIns.Where(c => c.ActivityId == a.Id).OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
                    .Select(c => (TeamJudgment?)c.Judgment).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        var activitiesOfCycle = activities.ToLookup(a => a.CycleId);
        var waiting = await db.BalanceTemplates.AsNoTracking()
            .Where(t => t.State == TemplateState.Submitted && t.BuildingId != null && ids.Contains(t.DistrictId))
            .Join(db.Buildings, t => t.BuildingId, b => b.Id, (t, b) => new { t, b })
            .Join(db.Cycles, x => x.t.CycleId, c => c.Id, (x, c) => new { x.t, x.b, c })
            .Join(db.Districts, x => x.t.DistrictId, d => d.Id, (x, d) => new
            {
                x.t.DistrictId, DistrictName = d.Name, d.TimeZoneId, x.t.CycleId, x.c.StartYear, BuildingId = x.b.Id, BuildingName = x.b.Name,
                SubmittedAt = x.t.SubmittedAt ?? x.t.UpdatedAt, x.t.Version,
            })
            .ToListAsync(cancellationToken);

        // Building monitoring reports wait in the same queue, reviewed through the same workflow.
        var waitingReports = await db.BuildingReports.AsNoTracking()
            .Where(r => r.State == TemplateState.Submitted && ids.Contains(r.DistrictId))
            .Join(db.Buildings, r => r.BuildingId, b => b.Id, (r, b) => new { r, b })
            .Join(db.MonitoringPeriods, x => x.r.PeriodId, p => p.Id, (x, p) => new { x.r, x.b, p })
            .Join(db.Cycles, x => x.r.CycleId, c => c.Id, (x, c) => new { x.r, x.b, x.p, c })
            .Join(db.Districts, x => x.r.DistrictId, d => d.Id, (x, d) => new
            {
                x.r.DistrictId, DistrictName = d.Name, d.TimeZoneId, x.r.CycleId, x.c.StartYear, BuildingId = x.b.Id, BuildingName = x.b.Name,
                SubmittedAt = x.r.SubmittedAt ?? x.r.UpdatedAt, x.r.Version, PeriodId = x.p.Id, PeriodName = x.p.Name,
            })
            .ToListAsync(cancellationToken);

        int DaysWaiting(DateTimeOffset since, TimeZoneInfo zone) => Math.Max(0, TimeZones.DateIn(now, zone).DayNumber - TimeZones.DateIn(since, zone).DayNumber);
        var queue = waiting.Select(w =>
            {
                var zone = TimeZones.Find(w.TimeZoneId);
                return new QueueItem(w.DistrictId, w.DistrictName, w.CycleId, SchoolYears.Format(w.StartYear), w.BuildingId, w.BuildingName,
                    w.SubmittedAt, DaysWaiting(w.SubmittedAt, zone), w.Version, zone);
            })
            .Concat(waitingReports.Select(w =>
            {
                var zone = TimeZones.Find(w.TimeZoneId);
                return new QueueItem(w.DistrictId, w.DistrictName, w.CycleId, SchoolYears.Format(w.StartYear), w.BuildingId, w.BuildingName,
                    w.SubmittedAt, DaysWaiting(w.SubmittedAt, zone), w.Version, zone, QueueKind.MonitoringReport, w.PeriodId, w.PeriodName);
            }))
            .OrderBy(q => q.SubmittedAt).ThenBy(q => q.DistrictName).ThenBy(q => q.BuildingName).ThenBy(q => q.Kind).ToList();

        var rows = districts.Select(d =>
        {
            var zone = TimeZones.Find(d.TimeZoneId);
            if (d.CycleId is not { } cycleId)
                return new DeskRow(d.Id, d.Name, zone, null, null, 0, [], 0, false, new DeskTemplateCounts(d.Buildings, 0, 0, 0, 0), 0, 0,
                    d.LastActivity, null, PlanGlance.Empty);
            var today = TimeZones.DateIn(now, zone);
            var started = d.Draft + d.Submitted + d.Returned + d.Accepted;
            var rubricRows = toolkits.Get(d.ToolkitKey!, d.ToolkitVersion!.Value).Rubric.Rows.Count;
            return new DeskRow(d.Id, d.Name, zone, cycleId, SchoolYears.Format(d.StartYear!.Value), rubricRows,
                groups.Where(g => g.CycleId == cycleId).Select(g => new DeskGroup(g.Name, g.Rated)).ToList(),
                d.Consensus, d.Finalized,
                new DeskTemplateCounts(Math.Max(0, d.Buildings - started), d.Draft, d.Submitted, d.Returned, d.Accepted),
                d.OpenActions, dueSoon.Where(a => a.CycleId == cycleId && a.DueDate < today).Sum(a => a.Count),
                d.LastActivity,
                queue.Where(q => q.DistrictId == d.Id).Select(q => (DateTimeOffset?)q.SubmittedAt).Min(),
                ActivityStamp.Glance(activitiesOfCycle[cycleId], today, new MonitoringWindows(d.PlanApproachingDays, d.PlanStaleAfterDays)),
                ReportsWaitingOf(d.Id));
        });
        // Reports waiting are counted from the queue already read: no statement more for the column.
        int ReportsWaitingOf(int districtId) => queue.Count(q => q.DistrictId == districtId && q.Kind == QueueKind.MonitoringReport);

        var normalized = sort == SortName ? SortName : SortNeedsMe;
        var ordered = normalized == SortName
            ? rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            // Needs me: what a building submitted (a template or a monitoring report alike) waiting longest first, then the
            // most overdue work (action items and plan activities), then the most activities gone without a check-in, then by name.
            : rows.OrderBy(r => r.OldestWaitingSince ?? DateTimeOffset.MaxValue).ThenByDescending(r => r.OverdueActions + r.Plan.Overdue)
                .ThenByDescending(r => r.Plan.Stale).ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase);
        return new DeskPage(ordered.ToList(), queue, normalized, access.IsAdmin, isFacilitator, now);
    }
}
