using System.Net;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// Building monitoring reports: the district sets periods and reported measures, a building team reports and submits, the
/// district team returns and accepts (on the report page and from the desk's queue) through the templates' review workflow.
/// </summary>
public sealed class BuildingReportTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string BuildingLeader = "building1@example.org";

    /// <summary>A fresh Lakeshore cycle with a goal, a strategy, an activity for every building and a percent measure.</summary>
    private async Task<(FreshCycle Cycle, int ActivityId, int MeasureId, string Root)> NewPlanAsync()
    {
        var cycle = await FreshCycle.NewAsync(factory);
        var (activity, measure) = await factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var d = cycle.Ids.Lakeshore;
            var goal = new PlanGoal { DistrictId = d, CycleId = cycle.CycleId, Statement = "Reports test goal.", CreatedAt = now };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = d, CycleId = cycle.CycleId, GoalId = goal.Id, Title = "Reports test strategy", CreatedAt = now };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new PlanActivity
            {
                DistrictId = d, CycleId = cycle.CycleId, StrategyId = strategy.Id, Title = "Reports: weekly data conversation", DueDate = cycle.Today.AddDays(40), CreatedAt = now,
            };
            var measure = new PlanMeasure
            {
                DistrictId = d, CycleId = cycle.CycleId, GoalId = goal.Id, Name = "Reports: staff explaining the vision", Kind = MeasureKind.Outcome,
                Unit = MeasureUnit.Percent, Better = BetterDirection.Higher, CreatedAt = now,
            };
            db.PlanActivities.Add(activity);
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            return (activity.Id, measure.Id);
        });
        return (cycle, activity, measure, $"/districts/{cycle.Ids.Lakeshore}/cycles/{cycle.CycleId}/reports");
    }

    private static async Task<RenderedForm> FormAsync(HttpClient client, string page, string action)
    {
        var form = RenderedForm.Find(Html.Parse(await client.GetHtmlAsync(page)), action, []);
        Assert.True(form is not null, $"{page} renders no form posting to {action}");
        return form;
    }

    [Fact]
    public async Task District_sets_periods_building_reports_district_returns_then_accepts_from_the_desk()
    {
        var (cycle, activityId, measureId, root) = await NewPlanAsync();
        var harborView = cycle.Ids.LakeshoreBuildings[0];
        var leader = await factory.SignedInAsync("leader@example.org");
        var building = await factory.SignedInAsync(BuildingLeader);

        // The district team sets a period (a refused one first: the error stands next to its field) and the reported measure.
        var refusedPeriod = await leader.PostFormAsync($"{root}/periods", new() { ["Name"] = "", ["DueDate"] = "" }, root);
        Assert.Equal(HttpStatusCode.BadRequest, refusedPeriod.StatusCode);
        var refusedPage = Html.Parse(await refusedPeriod.Content.ReadAsStringAsync());
        Assert.Equal("Name the period, e.g. “Fall”.", refusedPage.Single("#period-name-error").Text());
        Assert.Equal("Enter the date building reports are due.", refusedPage.Single("#period-due-error").Text());
        var due = cycle.Today.AddDays(21);
        var added = await leader.PostFormAsync($"{root}/periods", new() { ["Name"] = "Winter", ["DueDate"] = due.ToString("yyyy-MM-dd") }, root);
        Assert.True(added.StatusCode == HttpStatusCode.Redirect, Html.Parse(await added.Content.ReadAsStringAsync()).QuerySelector("main")?.Text());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{root}/measures", new() { ["MeasureIds"] = measureId.ToString() }, root)).StatusCode);
        var periodId = await factory.WithDbAsync(db => db.MonitoringPeriods.Where(p => p.CycleId == cycle.CycleId).Select(p => p.Id).SingleAsync());
        Assert.True(await factory.WithDbAsync(db => db.ReportedMeasures.AnyAsync(r => r.CycleId == cycle.CycleId && r.MeasureId == measureId)));

        // The building team sees only its own building's reports and opens this period's.
        var list = Html.Parse(await building.GetHtmlAsync(root));
        Assert.Contains("Not started", list.Single("table").Text());
        Assert.DoesNotContain("Dune Ridge", list.Single("table").Text());
        var reportUrl = $"{root}/periods/{periodId}/buildings/{harborView}";

        // A draft without recommendations saves; submitting it is refused with what is missing.
        var draft = (await FormAsync(building, reportUrl, reportUrl))
            .Set("Values[0].Value", "48").Set("Activities[0].Judgment", nameof(TeamJudgment.AtRisk));
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync(reportUrl, draft.Content())).StatusCode);
        // The same form sent again (a double submit) keeps what the first one saved and says so.
        var again = await building.PostAsync(reportUrl, draft.Content());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(48m, await factory.WithDbAsync(db => db.BuildingReportValues.Where(v => v.MeasureId == measureId).Select(v => v.Value).SingleAsync()));
        var incomplete = await building.PostAsync($"{reportUrl}/submit", (await FormAsync(building, reportUrl, $"{reportUrl}/submit")).Content());
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("Write the building's recommendations", Html.Parse(await incomplete.Content.ReadAsStringAsync()).Single(".alert-warning").Text());

        // A percent over 100 is refused next to its field; then the complete report saves and is submitted.
        var overHundred = await building.PostAsync(reportUrl, (await FormAsync(building, reportUrl, reportUrl)).Set("Values[0].Value", "140").Content());
        Assert.Equal(HttpStatusCode.BadRequest, overHundred.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(Html.Parse(await overHundred.Content.ReadAsStringAsync()).Single($"#value-{measureId}-error").Text()));
        var complete = (await FormAsync(building, reportUrl, reportUrl)).Set("Recommendations", "Schedule the second coaching session before break.");
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync(reportUrl, complete.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync($"{reportUrl}/submit", (await FormAsync(building, reportUrl, $"{reportUrl}/submit")).Content())).StatusCode);
        var submittedPage = Html.Parse(await building.GetHtmlAsync(reportUrl));
        Assert.Null(RenderedForm.Find(submittedPage, $"{reportUrl}/submit", []));
        Assert.NotNull(submittedPage.QuerySelector("fieldset[disabled]"));

        // The district team returns it: without a comment the refusal stands next to the comment field.
        var noComment = await leader.PostAsync($"{reportUrl}/return", (await FormAsync(leader, reportUrl, $"{reportUrl}/return")).Content());
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.Equal("Say what the building should change: a comment is required to return a report.",
            Html.Parse(await noComment.Content.ReadAsStringAsync()).Single("#return-comment-error").Text());
        var returned = (await FormAsync(leader, reportUrl, $"{reportUrl}/return")).Set("Comment", "Add the note on the at-risk activity.");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{reportUrl}/return", returned.Content())).StatusCode);

        // The building sees the comment, adds the note and resubmits.
        var returnedPage = Html.Parse(await building.GetHtmlAsync(reportUrl));
        Assert.Contains("Add the note on the at-risk activity.", returnedPage.Body!.Text());
        var edited = RenderedForm.Find(returnedPage, reportUrl, [])!.Set("Activities[0].Note", "Facilitator out two weeks.");
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync(reportUrl, edited.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync($"{reportUrl}/submit", (await FormAsync(building, reportUrl, $"{reportUrl}/submit")).Content())).StatusCode);

        // The key leader's desk lists it in the queue and accepts it there.
        var accept = (await FormAsync(leader, "/desk", $"{reportUrl}/accept"));
        var accepted = await leader.PostAsync($"{reportUrl}/accept", accept.Content());
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/desk#queue", accepted.Headers.Location?.OriginalString);
        Assert.Null(RenderedForm.Find(Html.Parse(await leader.GetHtmlAsync("/desk")), $"{reportUrl}/accept", []));

        var (state, steps, audited, activityNote) = await factory.WithDbAsync(async db =>
        {
            var report = await db.BuildingReports.Include(r => r.Transitions).Include(r => r.Activities).SingleAsync(r => r.PeriodId == periodId && r.BuildingId == harborView);
            var audited = await db.AuditEntries.Where(a => a.DistrictId == cycle.Ids.Lakeshore && a.EntityType == nameof(BuildingReport) && a.EntityId == report.Id.ToString())
                .Select(a => a.Field).ToListAsync();
            return (report.State, report.Transitions.OrderBy(t => t.At).Select(t => t.To).ToList(), audited, report.Activities.Single(a => a.ActivityId == activityId).Note);
        });
        Assert.Equal(TemplateState.Accepted, state);
        Assert.Equal([TemplateState.Submitted, TemplateState.Returned, TemplateState.Submitted, TemplateState.Accepted], steps);
        Assert.Contains(nameof(BuildingReport.State), audited);
        Assert.Contains(nameof(BuildingReport.Recommendations), audited);
        Assert.Equal("Facilitator out two weeks.", activityNote);

        // Accepted after a return and a resubmission, its value is on the measure once: as Harbor View's, dated the day it
        // was submitted (before the due date), marked in the chart's table as coming from the report.
        var copies = await factory.WithDbAsync(db => db.PlanMeasureValues.Where(v => v.MeasureId == measureId).ToListAsync());
        var copy = Assert.Single(copies);
        Assert.Equal((48m, harborView, cycle.Today), (copy.Value, copy.BuildingId, copy.Date));
        Assert.NotNull(copy.SourceReportId);

        // Notices: the district side heard of the submission, the building team of the return and the acceptance.
        var notices = await factory.WithDbAsync(db => db.Notifications.Where(n => n.Link == reportUrl)
            .Join(db.Users, n => n.UserId, u => u.Id, (n, u) => new { u.Email, n.Text }).ToListAsync());
        Assert.Contains(notices, n => n.Email == "leader@example.org" && n.Text.Contains("submitted its Winter monitoring report"));
        Assert.Contains(notices, n => n.Email == BuildingLeader && n.Text.Contains("returned") && n.Text.Contains("Add the note"));
        Assert.Contains(notices, n => n.Email == BuildingLeader && n.Text.Contains("accepted"));

        // The due date is in the building leader's calendar feed, and marked once submitted.
        var feedPage = await building.PostFormAsync("/account/calendar", [], "/account/calendar");
        var feedUrl = new Uri(Html.Parse(await feedPage.Content.ReadAsStringAsync()).Single("#calendar-url").GetAttribute("value")!);
        var calendarApp = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var calendar = Ical.Net.Calendar.Load(await calendarApp.GetStringAsync(feedUrl.PathAndQuery))!;
        var reportEvent = Assert.Single(calendar.Events, e => e.Uid == $"building-report-{periodId}-{harborView}@micip-planner");
        Assert.Equal(due, reportEvent.DtStart!.Date);
        Assert.Equal("Submitted: Harbor View Elementary Winter monitoring report (Lakeshore Public Schools)", reportEvent.Summary);
        // A district team member who submits no report gets no report dates.
        var memberFeedPage = await leader.PostFormAsync("/account/calendar", [], "/account/calendar");
        var memberFeed = new Uri(Html.Parse(await memberFeedPage.Content.ReadAsStringAsync()).Single("#calendar-url").GetAttribute("value")!);
        Assert.DoesNotContain("building-report-", await calendarApp.GetStringAsync(memberFeed.PathAndQuery));
    }

    [Fact]
    public async Task Building_teams_reach_only_their_own_reports_and_other_districts_none()
    {
        var (cycle, _, _, root) = await NewPlanAsync();
        var periodId = await factory.WithDbAsync(async db =>
        {
            var period = new MonitoringPeriod { DistrictId = cycle.Ids.Lakeshore, CycleId = cycle.CycleId, Name = "Spring", DueDate = cycle.Today.AddDays(60), CreatedAt = DateTimeOffset.UtcNow };
            db.MonitoringPeriods.Add(period);
            await db.SaveChangesAsync();
            return period.Id;
        });
        var own = $"{root}/periods/{periodId}/buildings/{cycle.Ids.LakeshoreBuildings[0]}";
        var other = $"{root}/periods/{periodId}/buildings/{cycle.Ids.LakeshoreBuildings[1]}";
        var building = await factory.SignedInAsync(BuildingLeader);
        Assert.Equal(HttpStatusCode.OK, (await building.GetAsync(own)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync(other)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await building.PostUnofferedAsync(other, new() { ["Recommendations"] = "taken over" }, own)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await building.PostUnofferedAsync($"{other}/submit", [], own)).StatusCode);
        // A building team does not review, even its own report.
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync($"{own}/accept", [], own)).StatusCode);

        // Pine Ridge's key leader: Lakeshore's report under Lakeshore's route, and under Pine Ridge's own, are not found.
        var pine = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync(own)).StatusCode);
        var pineRoot = $"/districts/{cycle.Ids.PineRidge}/cycles/{cycle.Ids.PineRidgeCycle}/reports";
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"{pineRoot}/periods/{periodId}/buildings/{cycle.Ids.LakeshoreBuildings[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{pineRoot}/periods/{periodId}/buildings/{cycle.Ids.LakeshoreBuildings[0]}/accept", [], pineRoot)).StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.BuildingReports.CountAsync(r => r.PeriodId == periodId)));
    }

    [Fact]
    public async Task The_demo_has_periods_and_one_report_waiting_for_the_district_shown_on_the_dashboard()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var dashboard = Html.Parse(await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}"));
        Assert.Equal("Building monitoring reports waiting for the district team: 1", dashboard.Single(".reports-waiting").Text());
        var list = Html.Parse(await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/reports"));
        Assert.Equal(3, list.Single("table").QuerySelectorAll("tbody tr").Length);
        Assert.Contains("Submitted", list.Single("table").Text());
    }

    /// <summary>A period and the reported measure set through the reports page as the district team sees it.</summary>
    private async Task<int> AddPeriodAsync(HttpClient leader, string root, int cycleId, string name, DateOnly due)
    {
        var form = (await FormAsync(leader, root, $"{root}/periods")).Set("Name", name).Set("DueDate", due.ToString("yyyy-MM-dd"));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{root}/periods", form.Content())).StatusCode);
        return await factory.WithDbAsync(db => db.MonitoringPeriods.Where(p => p.CycleId == cycleId && p.Name == name).Select(p => p.Id).SingleAsync());
    }

    /// <summary>The building fills every field of its report and submits it, through the report page's own forms.</summary>
    private static async Task SubmitCompleteReportAsync(HttpClient building, string reportUrl, string value)
    {
        var filled = (await FormAsync(building, reportUrl, reportUrl)).Set("Values[0].Value", value).Set("Values[0].Note", "Spring walkthroughs")
            .Set("Activities[0].Judgment", nameof(TeamJudgment.OnTrack)).Set("Recommendations", "Keep the coaching cycle.");
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync(reportUrl, filled.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync($"{reportUrl}/submit", (await FormAsync(building, reportUrl, $"{reportUrl}/submit")).Content())).StatusCode);
    }

    [Fact]
    public async Task District_changes_a_period_and_removes_one_with_its_drafts_but_not_one_whose_reports_it_received()
    {
        var (cycle, _, measureId, root) = await NewPlanAsync();
        var harborView = cycle.Ids.LakeshoreBuildings[0];
        var leader = await factory.SignedInAsync("leader@example.org");
        var building = await factory.SignedInAsync(BuildingLeader);
        var winter = await AddPeriodAsync(leader, root, cycle.CycleId, "Winter", cycle.Today.AddDays(20));
        var spring = await AddPeriodAsync(leader, root, cycle.CycleId, "Spring", cycle.Today.AddDays(90));
        var measures = (await FormAsync(leader, root, $"{root}/measures")).Set("MeasureIds", measureId.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{root}/measures", measures.Content())).StatusCode);

        // The list links each period to its page; the change is saved, audited, and a form shown before it is stale.
        var list = Html.Parse(await leader.GetHtmlAsync(root));
        var winterPage = $"{root}/periods/{winter}";
        Assert.Contains(list.QuerySelectorAll("a.period-edit-link"), a => a.GetAttribute("href") == winterPage);
        Assert.Empty(Html.Parse(await building.GetHtmlAsync(root)).QuerySelectorAll("a.period-edit-link"));
        Assert.Equal(HttpStatusCode.Forbidden, (await building.GetAsync(winterPage)).StatusCode);
        var edit = (await FormAsync(leader, winterPage, winterPage)).Set("Name", "Mid-winter").Set("DueDate", cycle.Today.AddDays(30).ToString("yyyy-MM-dd"));
        var empty = (await FormAsync(leader, winterPage, winterPage)).Set("Name", " ");
        var refused = await leader.PostAsync(winterPage, empty.Content());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Name the period, e.g. “Fall”.", Html.Parse(await refused.Content.ReadAsStringAsync()).Single("#period-name-error").Text());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(winterPage, edit.Content())).StatusCode);
        var stale = await leader.PostAsync(winterPage, edit.Copy().Set("Name", "Late winter").Content());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var (name, due, audited) = await factory.WithDbAsync(async db =>
        {
            var period = await db.MonitoringPeriods.SingleAsync(p => p.Id == winter);
            var audited = await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(MonitoringPeriod) && a.EntityId == winter.ToString()
                && a.Field == nameof(MonitoringPeriod.Name) && a.NewValue == "Mid-winter");
            return (period.Name, period.DueDate, audited);
        });
        Assert.Equal(("Mid-winter", cycle.Today.AddDays(30)), (name, due));
        Assert.True(audited);

        // Spring has one draft: the removal names it, needs the tick, and takes the draft with the period (audited).
        var springReport = $"{root}/periods/{spring}/buildings/{harborView}";
        var draft = (await FormAsync(building, springReport, springReport)).Set("Values[0].Value", "51");
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync(springReport, draft.Content())).StatusCode);
        var springPage = $"{root}/periods/{spring}";
        var removalPage = Html.Parse(await leader.GetHtmlAsync(springPage));
        Assert.Contains("1 draft report that buildings started for this period will be removed with it.", removalPage.Single(".period-removal-drafts").Text());
        var removal = RenderedForm.Find(removalPage, $"{springPage}/remove", [])!;
        var unconfirmed = await leader.PostAsync($"{springPage}/remove", removal.Content());
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal("Tick the box to confirm the removal.", Html.Parse(await unconfirmed.Content.ReadAsStringAsync()).Single("#remove-period-confirm-error").Text());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{springPage}/remove", removal.Copy().Set("Confirm", "true").Content())).StatusCode);
        var (periodLeft, reportsLeft, valuesLeft, deleted) = await factory.WithDbAsync(async db => (
            await db.MonitoringPeriods.AnyAsync(p => p.Id == spring),
            await db.BuildingReports.CountAsync(r => r.PeriodId == spring),
            await db.BuildingReportValues.CountAsync(v => v.MeasureId == measureId),
            await db.AuditEntries.Where(a => a.DistrictId == cycle.Ids.Lakeshore && a.Action == Domain.Review.AuditAction.Delete
                && (a.EntityType == nameof(MonitoringPeriod) && a.EntityId == spring.ToString() || a.EntityType == nameof(BuildingReport)
                    || a.EntityType == nameof(BuildingReportValue) || a.EntityType == nameof(BuildingReportActivity)))
                .Select(a => a.EntityType).Distinct().ToListAsync()));
        Assert.False(periodLeft);
        Assert.Equal(0, reportsLeft);
        Assert.Equal(0, valuesLeft);
        Assert.Equal([nameof(BuildingReport), nameof(BuildingReportActivity), nameof(BuildingReportValue), nameof(MonitoringPeriod)], deleted.Order(StringComparer.Ordinal).ToArray());
        // The same removal sent again (a double submit) finds it done.
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{springPage}/remove", removal.Copy().Set("Confirm", "true").Content())).StatusCode);

        // Winter's report reached the district team: the page says the period stays, beside an unavailable button, and a
        // removal posted anyway is refused with the period, its report and its values kept.
        await SubmitCompleteReportAsync(building, $"{root}/periods/{winter}/buildings/{harborView}", "47");
        var keptPage = Html.Parse(await leader.GetHtmlAsync(winterPage));
        Assert.Null(RenderedForm.Find(keptPage, $"{winterPage}/remove", []));
        Assert.Contains("This period stays: reports of it have been submitted to the district team", keptPage.Single(".period-kept").Text());
        Assert.NotNull(keptPage.QuerySelector("button[disabled][aria-describedby=period-kept]"));
        var version = keptPage.Single($"form[action='{winterPage}'] input[name=Version]").GetAttribute("value")!;
        var forced = await leader.PostUnofferedAsync($"{winterPage}/remove", new() { ["Confirm"] = "true", ["Drafts"] = "0", ["Version"] = version }, winterPage);
        Assert.Equal(HttpStatusCode.Conflict, forced.StatusCode);
        Assert.Contains("This period stays", Html.Parse(await forced.Content.ReadAsStringAsync()).Single(".alert-danger").Text());
        Assert.True(await factory.WithDbAsync(db => db.BuildingReports.AnyAsync(r => r.PeriodId == winter && r.State == TemplateState.Submitted)));
    }

    [Fact]
    public async Task A_draft_started_after_the_removal_was_shown_makes_it_ask_again()
    {
        var (cycle, _, _, root) = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var building = await factory.SignedInAsync(BuildingLeader);
        var period = await AddPeriodAsync(leader, root, cycle.CycleId, "Fall", cycle.Today.AddDays(10));
        var page = $"{root}/periods/{period}";
        var removal = (await FormAsync(leader, page, $"{page}/remove")).Set("Confirm", "true");
        var reportUrl = $"{root}/periods/{period}/buildings/{cycle.Ids.LakeshoreBuildings[0]}";
        Assert.Equal(HttpStatusCode.Redirect, (await building.PostAsync(reportUrl, (await FormAsync(building, reportUrl, reportUrl)).Set("Recommendations", "Started").Content())).StatusCode);
        var late = await leader.PostAsync($"{page}/remove", removal.Content());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("1 draft report", Html.Parse(await late.Content.ReadAsStringAsync()).Single(".period-removal-drafts").Text());
        Assert.True(await factory.WithDbAsync(db => db.BuildingReports.AnyAsync(r => r.PeriodId == period)));
    }

    [Fact]
    public async Task Accepted_report_values_show_on_the_building_chart_and_table_once_however_often_acceptance_is_sent()
    {
        var (cycle, _, measureId, root) = await NewPlanAsync();
        var harborView = cycle.Ids.LakeshoreBuildings[0];
        var leader = await factory.SignedInAsync("leader@example.org");
        var building = await factory.SignedInAsync(BuildingLeader);
        // Due yesterday: the value takes the due date, not the later day of the submission.
        var due = cycle.Today.AddDays(-1);
        var period = await AddPeriodAsync(leader, root, cycle.CycleId, "Fall", due);
        var measures = (await FormAsync(leader, root, $"{root}/measures")).Set("MeasureIds", measureId.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{root}/measures", measures.Content())).StatusCode);
        var reportUrl = $"{root}/periods/{period}/buildings/{harborView}";
        await SubmitCompleteReportAsync(building, reportUrl, "62.5");

        // Submitted but not accepted: nothing on the measure yet.
        var planUrl = $"/districts/{cycle.Ids.Lakeshore}/cycles/{cycle.CycleId}/plan";
        Assert.Null(Html.Parse(await leader.GetHtmlAsync(planUrl)).QuerySelector($"#measure-{measureId}-building-{harborView}-title"));

        var accept = await FormAsync(leader, reportUrl, $"{reportUrl}/accept");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{reportUrl}/accept", accept.Content())).StatusCode);
        // The acceptance sent again (a double click, a second tab) is refused and copies nothing more.
        Assert.Equal(HttpStatusCode.Conflict, (await leader.PostAsync($"{reportUrl}/accept", accept.Content())).StatusCode);

        var plan = Html.Parse(await leader.GetHtmlAsync(planUrl));
        var section = plan.Single($"#measure-{measureId}");
        var smallMultiple = Assert.Single(section.QuerySelectorAll(".measure-building-chart"));
        Assert.Equal("Harbor View Elementary", smallMultiple.Single("figcaption").Text().Trim());
        Assert.Single(smallMultiple.QuerySelectorAll(".run-chart-point"));
        var row = Assert.Single(section.QuerySelectorAll(".measure-value-row"));
        var cells = row.QuerySelectorAll("td").Select(td => td.Text().Trim()).ToList();
        Assert.Equal(due.ToString("yyyy-MM-dd"), cells[0]);
        Assert.Equal("62.5%", cells[2]);
        Assert.Equal("Harbor View Elementary", cells[3]);
        Assert.StartsWith("from Harbor View Elementary's Fall report. Spring walkthroughs", cells[4]);

        var copies = await factory.WithDbAsync(db => db.PlanMeasureValues.Where(v => v.MeasureId == measureId).ToListAsync());
        var copy = Assert.Single(copies);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(PlanMeasureValue) && a.EntityId == copy.Id.ToString())));

        // The database itself keeps a second copy of one report's value out.
        var second = await Record.ExceptionAsync(() => factory.WithDbAsync(async db =>
        {
            db.PlanMeasureValues.Add(new PlanMeasureValue
            {
                DistrictId = copy.DistrictId, CycleId = copy.CycleId, MeasureId = measureId, Date = due, Value = 1m, BuildingId = harborView,
                RecordedByUserId = copy.RecordedByUserId, SourceReportId = copy.SourceReportId,
            });
            return await db.SaveChangesAsync();
        }));
        Assert.IsType<DbUpdateException>(second);
    }

    [Fact]
    public async Task The_desk_counts_reports_waiting_per_district_and_puts_the_district_whose_report_waits_longest_first()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await factory.WithDbAsync(async db =>
        {
            var longAgo = DateTimeOffset.UtcNow.AddDays(-200);
            var period = new MonitoringPeriod { DistrictId = ids.PineRidge, CycleId = ids.PineRidgeCycle, Name = "Desk test period", DueDate = DateOnly.FromDateTime(longAgo.UtcDateTime), CreatedAt = longAgo };
            db.MonitoringPeriods.Add(period);
            await db.SaveChangesAsync();
            var building = await db.Buildings.Where(b => b.DistrictId == ids.PineRidge).OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            db.BuildingReports.Add(new BuildingReport
            {
                DistrictId = ids.PineRidge, CycleId = ids.PineRidgeCycle, PeriodId = period.Id, BuildingId = building, State = TemplateState.Submitted,
                Recommendations = "None", CreatedAt = longAgo, UpdatedAt = longAgo, SubmittedAt = longAgo,
            });
            return await db.SaveChangesAsync();
        });
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var desk = Html.Parse(await facilitator.GetHtmlAsync("/desk"));
        var rows = desk.Single(".desk-table").QuerySelectorAll("tbody tr").ToList();
        Assert.Contains("Monitoring reports", desk.Single(".desk-table thead").Text());
        // Needs me: Pine Ridge's report has waited longer than anything of Lakeshore's.
        Assert.Equal("Pine Ridge Community Schools", rows[0].Single("th").Text().Trim());
        Assert.Equal("1 waiting", rows[0].Single(".desk-reports").Text().Trim());
        Assert.NotNull(rows[0].Single(".desk-reports").QuerySelector("strong"));
        var byName = Html.Parse(await facilitator.GetHtmlAsync("/desk?sort=name")).Single(".desk-table").QuerySelectorAll("tbody tr").ToList();
        Assert.Equal("Lakeshore Public Schools", byName[0].Single("th").Text().Trim());
        Assert.Contains("Desk test period monitoring report", desk.Single("#queue").Text());
    }
}
