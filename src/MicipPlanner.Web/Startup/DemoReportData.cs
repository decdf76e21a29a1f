using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// Lakeshore's building monitoring reports for the current cycle: three monitoring periods, the two survey and minutes
/// measures reported by every building, and Harbor View's first report submitted and waiting for the district team.
/// </summary>
internal static class DemoReportData
{
    public static async Task SeedAsync(AppDbContext db, District district, int cycleId, string leaderId, string buildingLeaderId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DistrictCalendar.Today(now, district.TimeZoneId);
        MonitoringPeriod Period(string name, int dueIn) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, Name = name, DueDate = today.AddDays(dueIn), CreatedByUserId = leaderId, CreatedAt = now.AddDays(-60),
        };
        var first = Period("Fall", 5);
        db.MonitoringPeriods.AddRange(first, Period("Winter", 90), Period("Spring", 170));

        var measures = await db.PlanMeasures.Where(m => m.CycleId == cycleId && m.Unit == MeasureUnit.Percent).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        db.ReportedMeasures.AddRange(measures.Select(m => new ReportedMeasure { DistrictId = district.Id, CycleId = cycleId, MeasureId = m.Id }));
        await db.SaveChangesAsync(cancellationToken);

        var harborView = district.Buildings.OrderBy(b => b.Code).First();
        var activities = await db.PlanActivities.Where(a => a.CycleId == cycleId && a.DoneDate == null && a.AllBuildings).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        decimal[] values = [44, 75];
        TeamJudgment[] judgments = [TeamJudgment.OnTrack, TeamJudgment.OnTrack, TeamJudgment.AtRisk, TeamJudgment.OnTrack];
        var report = new BuildingReport
        {
            DistrictId = district.Id, CycleId = cycleId, PeriodId = first.Id, BuildingId = harborView.Id, State = TemplateState.Submitted,
            Recommendations = "Give building facilitators a second date for the data-conversation session before winter break; "
                + "our team is ready to pilot the protocol in January.",
            CreatedAt = now.AddDays(-6), UpdatedAt = now.AddDays(-2), SubmittedAt = now.AddDays(-2),
        };
        report.Values.AddRange(measures.Select((m, i) => new BuildingReportValue
        {
            DistrictId = district.Id, MeasureId = m.Id, Value = values[i % values.Length], Note = i == 0 ? "Pulse survey of five staff in October." : "",
        }));
        report.Activities.AddRange(activities.Select((a, i) => new BuildingReportActivity
        {
            DistrictId = district.Id, ActivityId = a.Id, Judgment = judgments[i % judgments.Length],
            Note = judgments[i % judgments.Length] == TeamJudgment.AtRisk ? "Our facilitator missed the first session." : "",
        }));
        report.Transitions.Add(new BuildingReportTransition
        {
            DistrictId = district.Id, From = TemplateState.Draft, To = TemplateState.Submitted, UserId = buildingLeaderId, At = now.AddDays(-2),
        });
        db.BuildingReports.Add(report);
        await db.SaveChangesAsync(cancellationToken);
    }
}
