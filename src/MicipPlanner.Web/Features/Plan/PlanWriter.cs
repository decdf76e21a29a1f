using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>What became of a write to the plan.</summary>
public abstract record PlanWriteResult
{
    public sealed record Saved(int Id) : PlanWriteResult;

    /// <summary>The goal, strategy or activity it was to go under is not in this cycle.</summary>
    public sealed record NotFound : PlanWriteResult;

    /// <summary>The form passed its validator but names something the plan cannot take (an owner off the team …).</summary>
    public sealed record Refused(string Field, string Message) : PlanWriteResult;
}

/// <summary>
/// The one write path of the plan's records: every goal, strategy, activity and check-in is added here, in the cycle of
/// the page, after the form's validator passed. Permissions are the caller's (the page's) check.
/// </summary>
public sealed class PlanWriter(AppDbContext db, TimeProvider clock)
{
    public async Task<PlanWriteResult> AddGoalAsync(CyclePlace place, GoalForm form, IReadOnlyCollection<string> rubricRowKeys, string userId)
    {
        // An empty value (a box with no row behind it) chooses nothing; anything else must be a row of the cycle's toolkit.
        var chosen = form.RubricRowKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (chosen.Any(k => !rubricRowKeys.Contains(k)))
            return new PlanWriteResult.Refused(nameof(GoalForm.RubricRowKeys), "Choose rubric rows from the list.");
        var last = await db.PlanGoals.Where(g => g.CycleId == place.CycleId).MaxAsync(g => (int?)g.SortOrder) ?? 0;
        var goal = new PlanGoal
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, Statement = FormText.Clean(form.Statement), State = form.State,
            RubricRowKeys = PlanRules.FormatRowKeys(rubricRowKeys.Where(chosen.Contains)), SortOrder = last + 1,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanGoals.Add(goal);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(goal.Id);
    }

    public async Task<PlanWriteResult> AddStrategyAsync(CyclePlace place, int goalId, StrategyForm form, string userId)
    {
        if (!await db.PlanGoals.AnyAsync(g => g.Id == goalId && g.CycleId == place.CycleId && g.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var strategy = new PlanStrategy
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, GoalId = goalId, Title = FormText.Clean(form.Title),
            Systems = form.Systems.Aggregate(PlanSystems.None, (all, one) => all | one), FundingSource = FormText.Clean(form.FundingSource),
            PlannedAmount = form.PlannedAmount, CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanStrategies.Add(strategy);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(strategy.Id);
    }

    public async Task<PlanWriteResult> AddActivityAsync(CyclePlace place, int strategyId, ActivityForm form, string userId)
    {
        if (!await db.PlanStrategies.AnyAsync(s => s.Id == strategyId && s.CycleId == place.CycleId && s.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var owner = string.IsNullOrEmpty(form.OwnerUserId) ? null : form.OwnerUserId;
        if (owner is not null && !await db.TeamMemberships.AnyAsync(m => m.DistrictId == place.DistrictId && m.BuildingId == null && m.UserId == owner))
            return new PlanWriteResult.Refused(nameof(ActivityForm.OwnerUserId), "Choose an owner from the district's team.");
        var activity = new PlanActivity
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, StrategyId = strategyId, Title = FormText.Clean(form.Title),
            OwnerUserId = owner, StartDate = form.StartDate, DueDate = form.DueDate, DoneDate = form.DoneDate, AllBuildings = form.AllBuildings,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanActivities.Add(activity);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(activity.Id);
    }

    public async Task<PlanWriteResult> RecordCheckInAsync(CyclePlace place, int activityId, CheckInForm form, string userId)
    {
        if (!await db.PlanActivities.AnyAsync(a => a.Id == activityId && a.CycleId == place.CycleId && a.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var now = clock.GetUtcNow();
        // A check-in says how the work stands; it cannot speak for a day that has not come in the district yet.
        if (form.Date > DistrictCalendar.Today(now, place.TimeZoneId))
            return new PlanWriteResult.Refused(nameof(CheckInForm.Date), "A check-in cannot be dated after today.");
        var link = FormText.Clean(form.EvidenceLink);
        var checkIn = new PlanCheckIn
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, ActivityId = activityId, Date = form.Date!.Value, Judgment = form.Judgment!.Value,
            Note = FormText.Clean(form.Note), EvidenceLink = link.Length == 0 ? null : link, ByUserId = userId, CreatedAt = now,
        };
        db.PlanCheckIns.Add(checkIn);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(checkIn.Id);
    }

    /// <summary>
    /// Records today's monitoring meeting. Recording it again the same day (a double submit, or two people at once)
    /// answers with the one meeting of the day: the unique index on (cycle, day) settles a race.
    /// </summary>
    public async Task<PlanWriteResult> RecordMeetingAsync(CyclePlace place, string userId)
    {
        var now = clock.GetUtcNow();
        var today = DistrictCalendar.Today(now, place.TimeZoneId);
        var existing = await MeetingOnAsync(place, today);
        if (existing is { } id) return new PlanWriteResult.Saved(id);
        var meeting = new PlanMeeting { DistrictId = place.DistrictId, CycleId = place.CycleId, HeldOn = today, RecordedByUserId = userId, RecordedAt = now };
        db.PlanMeetings.Add(meeting);
        try
        {
            await db.SaveChangesAsync();
            return new PlanWriteResult.Saved(meeting.Id);
        }
        catch (DbUpdateException)
        {
            // Someone recorded the day's meeting between our look and our save: theirs is the day's meeting.
            db.ChangeTracker.Clear();
            if (await MeetingOnAsync(place, today) is { } recorded) return new PlanWriteResult.Saved(recorded);
            throw;
        }
    }

    private Task<int?> MeetingOnAsync(CyclePlace place, DateOnly day) =>
        db.PlanMeetings.Where(m => m.CycleId == place.CycleId && m.DistrictId == place.DistrictId && m.HeldOn == day)
            .Select(m => (int?)m.Id).FirstOrDefaultAsync();
}

/// <summary>The district and cycle a write belongs to, and the district's zone (for its "today").</summary>
public sealed record CyclePlace(int DistrictId, int CycleId, string TimeZoneId);
