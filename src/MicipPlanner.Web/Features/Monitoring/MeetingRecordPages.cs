using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Monitoring;

/// <summary>The fields of a check-in recorded at the meeting (dated today), with ids under <paramref name="Prefix"/>.</summary>
public sealed record MeetingCheckInFields(string Prefix, CheckInForm? Posted, DateOnly Today);

/// <summary>The last check-in of an activity, as its check-in page recalls it.</summary>
public sealed record PreviousCheckIn(DateOnly Date, TeamJudgment Judgment, string Note);

/// <summary>One activity's check-in page: the activity, its last check-in and the form (refilled when refused).</summary>
public sealed record MeetingCheckInPage(CycleContext Cycle, int ActivityId, string Title, string Strategy, DateOnly? DueDate, DateOnly? DoneDate,
    PreviousCheckIn? Last, CheckInForm? Posted, DateOnly Today);

/// <summary>One measure's value page: the measure, its latest value and the form (refilled when refused).</summary>
public sealed record MeetingValuePage(CycleContext Cycle, int MeasureId, string Name, MeasureUnit Unit, MeasurePoint? Latest,
    IReadOnlyList<BuildingOption> Buildings, MeasureValueForm? Posted, DateOnly Today);

/// <summary>
/// The pages a check-in or a value is recorded on when the meeting page's script does not run: small reads of the one
/// record, so that the meeting page itself carries a single form of each kind however large the plan.
/// </summary>
public static class MeetingRecordPages
{
    public static async Task<MeetingCheckInPage?> CheckInAsync(AppDbContext db, CycleContext cycle, int activityId, CheckInForm? posted, TimeProvider clock)
    {
        var activity = await db.PlanActivities.AsNoTracking()
            .Where(a => a.Id == activityId && a.CycleId == cycle.CycleId && a.DistrictId == cycle.DistrictId)
            .Select(a => new
            {
                a.Title, a.DueDate, a.DoneDate,
                Strategy = db.PlanStrategies.Where(s => s.Id == a.StrategyId).Select(s => s.Title).FirstOrDefault(),
            }).FirstOrDefaultAsync();
        if (activity is null) return null;
        var last = await db.PlanCheckIns.AsNoTracking().Where(c => c.ActivityId == activityId && c.DistrictId == cycle.DistrictId)
            .OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
            .Select(c => new PreviousCheckIn(c.Date, c.Judgment, c.Note)).FirstOrDefaultAsync();
        return new MeetingCheckInPage(cycle, activityId, activity.Title, activity.Strategy ?? "", activity.DueDate, activity.DoneDate, last, posted,
            DistrictCalendar.Today(clock, cycle.District.TimeZoneId));
    }

    public static async Task<MeetingValuePage?> ValueAsync(AppDbContext db, CycleContext cycle, int measureId, MeasureValueForm? posted, TimeProvider clock)
    {
        var measure = await db.PlanMeasures.AsNoTracking()
            .Where(m => m.Id == measureId && m.CycleId == cycle.CycleId && m.DistrictId == cycle.DistrictId)
            .Select(m => new { m.Name, m.Unit }).FirstOrDefaultAsync();
        if (measure is null) return null;
        var latest = await db.PlanMeasureValues.AsNoTracking().Where(v => v.MeasureId == measureId && v.DistrictId == cycle.DistrictId && v.BuildingId == null)
            .OrderByDescending(v => v.Date).ThenByDescending(v => v.Id)
            .Select(v => new MeasurePoint(v.Date, v.Value)).FirstOrDefaultAsync();
        var buildings = await PlanReads.Buildings(db, cycle.DistrictId).ToListAsync();
        return new MeetingValuePage(cycle, measureId, measure.Name, measure.Unit, latest, buildings, posted, DistrictCalendar.Today(clock, cycle.District.TimeZoneId));
    }
}
