using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>The monthly monitoring meeting page: its order, what changed since the last meeting, check-ins in one pass, the record.</summary>
public sealed class MonitoringTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Meeting(DemoIds Ids, int CycleId, DateOnly Today, int Overdue, int OffTrack, int Approaching, int OnTarget, int Done, int Measure)
    {
        public string Url => $"/districts/{Ids.Lakeshore}/cycles/{CycleId}/monitoring";
    }

    /// <summary>A Lakeshore cycle of its own with one activity in each place of the meeting's order.</summary>
    private async Task<Meeting> NewPlanAsync()
    {
        var (ids, cycleId, today) = await FreshCycle.NewAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var longAgo = DateTimeOffset.UtcNow.AddDays(-90);
            var goal = new PlanGoal { DistrictId = ids.Lakeshore, CycleId = cycleId, Statement = "Meet monthly", CreatedAt = longAgo };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Title = "Standing meetings", CreatedAt = longAgo };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            PlanActivity Activity(string title, int start, int due, int? done = null) => new()
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, StrategyId = strategy.Id, Title = title, StartDate = today.AddDays(start),
                DueDate = today.AddDays(due), DoneDate = done is { } d ? today.AddDays(d) : null, CreatedAt = longAgo,
            };
            var (onTarget, approaching, offTrack, overdue, done) = (Activity("On target work", -5, 60), Activity("Approaching work", -5, 7),
                Activity("Off track work", -5, 40), Activity("Overdue work", -20, -3), Activity("Done work", -40, -10, done: -4));
            db.PlanActivities.AddRange(onTarget, approaching, offTrack, overdue, done);
            await db.SaveChangesAsync();
            db.PlanCheckIns.Add(new PlanCheckIn
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, ActivityId = offTrack.Id, Date = today.AddDays(-2), Judgment = TeamJudgment.OffTrack,
                Note = "Two buildings dropped out.", CreatedAt = DateTimeOffset.UtcNow.AddDays(-2),
            });
            var measure = new PlanMeasure
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Name = "Meetings with minutes", Kind = MeasureKind.Process,
                Unit = MeasureUnit.Percent, Better = BetterDirection.Higher, CreatedAt = longAgo,
            };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            return new Meeting(ids, cycleId, today, overdue.Id, offTrack.Id, approaching.Id, onTarget.Id, done.Id, measure.Id);
        });
    }

    [Fact]
    public async Task The_meeting_lists_overdue_and_off_track_first_and_what_changed_in_the_last_30_days_before_the_first_meeting()
    {
        var meeting = await NewPlanAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var page = Html.Parse(await member.GetHtmlAsync(meeting.Url));

        var groups = page.QuerySelectorAll(".meeting-group").Select(g => g.Id).ToList();
        Assert.Equal(["group-attention", "group-approaching", "group-on-target", "group-done"], groups);
        Assert.Equal(["Overdue work", "Off track work"], page.Single("#group-attention").QuerySelectorAll(".meeting-activity h4").Select(h => h.Text()));
        Assert.Equal("Approaching: due within 14 days 1", page.Single("#group-approaching h3").Text());

        // No meeting recorded yet: the last 30 days. The off-track check-in and the work done 4 days ago are news.
        Assert.StartsWith($"Since {meeting.Today.AddDays(-30):MMM d, yyyy} (no meeting recorded yet", page.Single("#since-heading").Text());
        var changes = page.Single(".meeting-changes").QuerySelectorAll("li").Select(li => li.Text()).ToList();
        Assert.Contains(changes, c => c.StartsWith("Done") && c.EndsWith("Done work"));
        Assert.Contains(changes, c => c.StartsWith("Check-in") && c.Contains("Off track work: Off track") && c.Contains("Two buildings dropped out."));
        // Done work takes no more check-ins; the rest each have a "Record check-in" leading to their own check-in page.
        Assert.Null(page.Single($"#activity-{meeting.Done}").QuerySelector(".meeting-open"));
        Assert.Equal($"{meeting.Url}/activities/{meeting.Overdue}/check-in", page.Single($"#activity-{meeting.Overdue} .meeting-open").GetAttribute("href"));
    }

    [Fact]
    public async Task The_meeting_carries_one_check_in_form_and_one_value_form_however_many_activities_and_measures()
    {
        var meeting = await NewPlanAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var small = Html.Parse(await member.GetHtmlAsync(meeting.Url));
        // Twenty more activities and five more measures: still one form of each kind (and the close-the-meeting form).
        await factory.WithDbAsync(async db =>
        {
            var strategy = await db.PlanStrategies.FirstAsync(s => s.CycleId == meeting.CycleId);
            for (var i = 0; i < 20; i++)
                db.PlanActivities.Add(new PlanActivity
                {
                    DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, StrategyId = strategy.Id, Title = $"More work {i}",
                    StartDate = meeting.Today.AddDays(-5), DueDate = meeting.Today.AddDays(30 + i), CreatedAt = DateTimeOffset.UtcNow.AddDays(-60),
                });
            for (var i = 0; i < 5; i++)
                db.PlanMeasures.Add(new PlanMeasure { DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, StrategyId = strategy.Id, Name = $"More measure {i}", Unit = MeasureUnit.Count });
            await db.SaveChangesAsync();
        });
        var large = Html.Parse(await member.GetHtmlAsync(meeting.Url));

        foreach (var page in new[] { small, large })
        {
            Assert.Single(page.QuerySelectorAll("form[data-kind='check-in']"));
            Assert.Single(page.QuerySelectorAll("form[data-kind='value']"));
            Assert.Equal(3, page.QuerySelectorAll("main form").Length);
            // The forms wait hidden, outside the sections the page swaps in again.
            Assert.Null(page.Single("#meeting-sections").QuerySelector("form"));
            Assert.True(page.Single("#meeting-check-in").HasAttribute("hidden"));
        }
        Assert.Equal(4 + 20, large.QuerySelectorAll(".meeting-activity .meeting-open").Length);
        Assert.Equal(1 + 5, large.QuerySelectorAll(".meeting-measure .meeting-open").Length);
        // Each opener names its activity and where the script posts its check-in.
        var opener = large.Single($"#activity-{meeting.Approaching} .meeting-open");
        Assert.Equal($"{meeting.Url}/activities/{meeting.Approaching}/check-ins", opener.GetAttribute("data-action"));
        Assert.Equal($"activity-{meeting.Approaching}-title", opener.GetAttribute("aria-describedby"));
    }

    [Fact]
    public async Task An_activitys_check_in_page_posts_its_form_as_rendered_and_returns_to_the_meeting_and_a_measures_value_page_likewise()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var meetingPage = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        var checkInUrl = meetingPage.Single($"#activity-{meeting.Overdue} .meeting-open").GetAttribute("href")!;

        var page = Html.Parse(await leader.GetHtmlAsync(checkInUrl));
        Assert.Equal("Record a check-in on “Overdue work”", page.Single("h1").Text());
        var form = RenderedForm.Find(page, $"{meeting.Url}/activities/{meeting.Overdue}/check-ins", ["Date", "Judgment", "Note", "EvidenceLink"])!;
        var saved = await leader.PostAsync(form.Action, form.Copy().Set("Judgment", nameof(TeamJudgment.OffTrack)).Set("Note", "Waiting on the vendor.").Content());
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{meeting.Url}#activity-{meeting.Overdue}", saved.Headers.Location?.OriginalString);
        var stored = await factory.WithDbAsync(db => db.PlanCheckIns.SingleAsync(c => c.ActivityId == meeting.Overdue));
        Assert.Equal((meeting.Today, TeamJudgment.OffTrack, "Waiting on the vendor."), (stored.Date, stored.Judgment, stored.Note));
        Assert.Contains("Off track", Html.Parse(await leader.GetHtmlAsync(checkInUrl)).Single(".checkin-last").Text());

        var valuePage = Html.Parse(await leader.GetHtmlAsync(meetingPage.Single($"#meeting-measure-{meeting.Measure} .meeting-open").GetAttribute("href")!));
        var value = RenderedForm.Find(valuePage, $"{meeting.Url}/measures/{meeting.Measure}/values", ["Date", "Value", "BuildingId", "Note"])!;
        Assert.Equal("Value (percent)", valuePage.Single($"label[for='m{meeting.Measure}-value-value']").Text());
        var recorded = await leader.PostAsync(value.Action, value.Set("Value", "55").Content());
        Assert.Equal($"{meeting.Url}#meeting-measure-{meeting.Measure}", recorded.Headers.Location?.OriginalString);
        Assert.Equal(55m, await factory.WithDbAsync(db => db.PlanMeasureValues.Where(v => v.MeasureId == meeting.Measure).Select(v => v.Value).SingleAsync()));

        // Building teams read the meeting but record nothing: neither page opens for them.
        var building = await factory.SignedInAsync("building1@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await building.GetAsync(checkInUrl)).StatusCode);
    }

    [Fact]
    public async Task Record_pressed_twice_keeps_one_check_in_and_a_different_one_right_after_is_kept()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var page = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        var form = CheckInForm(page, meeting, meeting.OnTarget).Set("Judgment", nameof(TeamJudgment.OnTrack)).Set("Note", "Pressed twice.");
        var first = await PostAsScriptAsync(leader, form);
        var second = await PostAsScriptAsync(leader, form);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.Equal(first.Answer.GetProperty("id").GetInt32(), second.Answer.GetProperty("id").GetInt32());
        var other = await PostAsScriptAsync(leader, form.Copy().Set("Note", "A second thought."));
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(["A second thought.", "Pressed twice."],
            (await factory.WithDbAsync(db => db.PlanCheckIns.Where(c => c.ActivityId == meeting.OnTarget).Select(c => c.Note).ToListAsync())).Order());
    }

    [Fact]
    public async Task Building_reports_submitted_since_the_last_meeting_are_news_with_a_link_to_the_report()
    {
        var meeting = await NewPlanAsync();
        var (period, before, after) = await factory.WithDbAsync(async db =>
        {
            var period = new MonitoringPeriod { DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, Name = "Winter", DueDate = meeting.Today.AddDays(10) };
            db.MonitoringPeriods.Add(period);
            await db.SaveChangesAsync();
            BuildingReport Report(int building, int daysAgo, MicipPlanner.Domain.Balance.TemplateState state) => new()
            {
                DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, PeriodId = period.Id, BuildingId = building, State = state, Recommendations = "More coaching.",
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-40), UpdatedAt = DateTimeOffset.UtcNow.AddDays(-daysAgo), SubmittedAt = DateTimeOffset.UtcNow.AddDays(-daysAgo),
            };
            var before = Report(meeting.Ids.LakeshoreBuildings[0], 6, MicipPlanner.Domain.Balance.TemplateState.Accepted);
            var after = Report(meeting.Ids.LakeshoreBuildings[1], 1, MicipPlanner.Domain.Balance.TemplateState.Submitted);
            db.BuildingReports.AddRange(before, after);
            db.PlanMeetings.Add(new PlanMeeting { DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, HeldOn = meeting.Today.AddDays(-3), RecordedAt = DateTimeOffset.UtcNow.AddDays(-3) });
            await db.SaveChangesAsync();
            return (period.Id, before, after);
        });
        var names = await factory.WithDbAsync(db => db.Buildings.Where(b => b.Id == before.BuildingId || b.Id == after.BuildingId).ToDictionaryAsync(b => b.Id, b => b.Name));
        var leader = await factory.SignedInAsync("leader@example.org");
        var page = Html.Parse(await leader.GetHtmlAsync(meeting.Url));

        var reports = page.QuerySelectorAll(".meeting-changes .meeting-report").ToList();
        // Only the report submitted after the meeting three days ago is news.
        var report = Assert.Single(reports);
        Assert.StartsWith($"Report {names[after.BuildingId]}’s Winter monitoring report submitted", report.Text());
        var link = report.Single("a").GetAttribute("href")!;
        Assert.Equal($"/districts/{meeting.Ids.Lakeshore}/cycles/{meeting.CycleId}/reports/periods/{period}/buildings/{after.BuildingId}", link);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync(link)).StatusCode);
        // The printed record names it too.
        using var pdf = new PdfText(await leader.GetByteArrayAsync($"{meeting.Url}/meeting.pdf"));
        Assert.Contains("Wintermonitoringreport", pdf.All);
    }

    [Fact]
    public async Task A_check_in_recorded_without_the_script_returns_to_the_meeting_and_shows_as_news_and_a_refused_one_is_shown_next_to_its_field()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var url = $"{meeting.Url}/activities/{meeting.Approaching}/check-ins";

        var refused = await leader.PostFormAsync(url, new() { ["Note"] = "No judgment chosen" }, $"{meeting.Url}/activities/{meeting.Approaching}/check-in");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("Choose on track, at risk or off track.", shown.Single($"#a{meeting.Approaching}-checkin-judgment-error").Text());
        Assert.Equal("No judgment chosen", shown.Single($"#a{meeting.Approaching}-checkin-note").Text());

        var saved = await leader.PostFormAsync(url, new() { ["Judgment"] = nameof(TeamJudgment.AtRisk), ["Note"] = "Agenda template late." }, $"{meeting.Url}/activities/{meeting.Approaching}/check-in");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{meeting.Url}#activity-{meeting.Approaching}", saved.Headers.Location?.OriginalString);

        var page = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        // At risk now sits above approaching work.
        Assert.Equal(["Approaching work"], page.Single("#group-at-risk").QuerySelectorAll(".meeting-activity h4").Select(h => h.Text()));
        Assert.Contains(page.Single(".meeting-changes").QuerySelectorAll("li").Select(li => li.Text()),
            c => c.Contains("Approaching work: At risk (Lee Leader) — Agenda template late."));
        var stored = await factory.WithDbAsync(db => db.PlanCheckIns.SingleAsync(c => c.ActivityId == meeting.Approaching));
        Assert.Equal((meeting.Today, TeamJudgment.AtRisk), (stored.Date, stored.Judgment));
    }

    [Fact]
    public async Task Recording_the_meeting_is_once_a_day_and_the_next_meeting_shows_only_what_came_after_it()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        // A meeting held three days ago: after the work done four days ago, before the off-track check-in two days ago.
        await factory.WithDbAsync(async db =>
        {
            db.PlanMeetings.Add(new PlanMeeting
            {
                DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, HeldOn = meeting.Today.AddDays(-3), RecordedAt = DateTimeOffset.UtcNow.AddDays(-3),
            });
            await db.SaveChangesAsync();
        });
        var page = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        Assert.Equal($"Since the last meeting on {meeting.Today.AddDays(-3):MMM d, yyyy}", page.Single("#since-heading").Text());
        var changes = page.Single(".meeting-changes").QuerySelectorAll("li").Select(li => li.Text()).ToList();
        // The check-in two days ago is news; the work done four days ago was before that meeting.
        Assert.Contains(changes, c => c.Contains("Off track work: Off track"));
        Assert.DoesNotContain(changes, c => c.EndsWith("Done work"));

        // Record today's meeting twice (a double submit): one meeting.
        var form = RenderedForm.Find(page, $"{meeting.Url}/meetings", [])!;
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(form.Action, form.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(form.Action, form.Content())).StatusCode);
        Assert.Equal(2, await factory.WithDbAsync(db => db.PlanMeetings.CountAsync(m => m.CycleId == meeting.CycleId)));
        var after = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        Assert.NotNull(after.QuerySelector(".meeting-recorded"));
        Assert.Null(RenderedForm.Find(after, $"{meeting.Url}/meetings", []));
    }

    [Fact]
    public async Task Building_teams_read_the_meeting_without_forms()
    {
        var meeting = await NewPlanAsync();
        var building = await factory.SignedInAsync("building1@example.org");
        var page = Html.Parse(await building.GetHtmlAsync(meeting.Url));
        Assert.NotEmpty(page.QuerySelectorAll(".meeting-activity"));
        Assert.Empty(page.QuerySelectorAll("main form"));
    }

    [Fact]
    public async Task The_meeting_prints_as_a_dated_tagged_pdf_record()
    {
        var meeting = await NewPlanAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var response = await member.GetAsync($"{meeting.Url}/meeting.pdf");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"monitoring-meeting-{meeting.Today:yyyy-MM-dd}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains("private", response.Headers.CacheControl?.ToString());

        using var pdf = new PdfText(await response.Content.ReadAsByteArrayAsync());
        Assert.True(pdf.IsTagged, "The meeting record is not tagged.");
        Assert.Contains($"Monitoringmeeting,{meeting.Today:MMMMd,yyyy}", pdf.All);
        Assert.Contains("Overdueorofftrack", pdf.All);
        Assert.Contains("Offtrackwork", pdf.All);
        Assert.DoesNotContain("Recordacheck-in", pdf.All);
    }

    [Fact]
    public async Task The_demo_meeting_shows_each_measures_chart_and_names_the_surveys_shift()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var member = await factory.SignedInAsync("member@example.org");
        var page = Html.Parse(await member.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/monitoring"));

        var measures = page.QuerySelectorAll(".meeting-measure").ToList();
        Assert.Equal(3, measures.Count);
        var survey = measures.Single(m => m.Single("h3").Text().StartsWith("Staff who can explain", StringComparison.Ordinal));
        Assert.StartsWith("Latest 43%", survey.Single(".measure-target-check").Text());
        Assert.NotNull(survey.QuerySelector("svg.run-chart title"));
        // Six months below the median, then six above: one crossing, where chance gives at least three among 12 points.
        Assert.NotEmpty(survey.QuerySelectorAll(".run-chart-signal-sentence"));
        // Measures with fewer points say so rather than claim "no signal".
        var meetings = measures.Single(m => m.Single("h3").Text().StartsWith("Building meetings whose minutes", StringComparison.Ordinal));
        Assert.Empty(meetings.QuerySelectorAll(".run-chart-signal-sentence"));
        Assert.Contains("Values", page.Single(".meeting-changes").Text());
    }

    /// <summary>Posts a form of the page the way the page's script does: the form's own fields, answered in JSON.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Answer)> PostAsScriptAsync(HttpClient client, RenderedForm form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = form.Content() };
        request.Headers.Add("Accept", "application/json");
        var response = await client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>
    /// The meeting's one check-in form as its script uses it for an activity: moved under the activity and posting where the
    /// activity's "Record check-in" says. (A fresh parse each time: the form is shared.)
    /// </summary>
    private static RenderedForm CheckInForm(AngleSharp.Html.Dom.IHtmlDocument page, Meeting meeting, int activityId) =>
        Moved(page, $"#activity-{activityId} .meeting-open", "form[data-kind='check-in']", ["Date", "Judgment", "Note", "EvidenceLink"]);

    private static RenderedForm ValueForm(AngleSharp.Html.Dom.IHtmlDocument page, Meeting meeting) =>
        Moved(page, $"#meeting-measure-{meeting.Measure} .meeting-open", "form[data-kind='value']", ["Date", "Value", "BuildingId", "Note"]);

    private static RenderedForm Moved(AngleSharp.Html.Dom.IHtmlDocument page, string opener, string formSelector, string[] fields)
    {
        var copy = Html.Parse(page.DocumentElement.OuterHtml);
        var action = copy.Single(opener).GetAttribute("data-action") ?? throw new InvalidOperationException($"{opener} says nowhere to post.");
        copy.Single(formSelector).SetAttribute("action", action);
        return RenderedForm.Find(copy, action, fields) ?? throw new InvalidOperationException($"The meeting page has no {formSelector}.");
    }

    private async Task<long> DataVersionAsync(HttpClient client, Meeting meeting)
    {
        using var json = JsonDocument.Parse(await client.GetHtmlAsync($"{meeting.Url}/state"));
        return json.RootElement.GetProperty("v").GetInt64();
    }

    [Fact]
    public async Task Two_people_record_in_one_pass_without_leaving_the_page_and_every_saved_check_in_and_value_is_kept()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        // Both have the page open before either records anything.
        var leaderPage = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        var memberPage = Html.Parse(await member.GetHtmlAsync(meeting.Url));
        var version = await DataVersionAsync(member, meeting);
        using (var unchanged = JsonDocument.Parse(await member.GetHtmlAsync($"{meeting.Url}/state?v={version}")))
            Assert.True(unchanged.RootElement.GetProperty("unchanged").GetBoolean());
        Assert.Contains("No district-wide value yet", memberPage.Single($"#meeting-measure-{meeting.Measure}").Text());

        // The same activity, two check-ins at once: both are kept, each answered as saved.
        var answers = await Task.WhenAll(
            PostAsScriptAsync(leader, CheckInForm(leaderPage, meeting, meeting.Approaching).Set("Judgment", nameof(TeamJudgment.AtRisk)).Set("Note", "Agenda template late.")),
            PostAsScriptAsync(member, CheckInForm(memberPage, meeting, meeting.Approaching).Set("Judgment", nameof(TeamJudgment.OnTrack)).Set("Note", "Minutes caught up.")
                .Set("EvidenceLink", "https://example.org/minutes")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.True(a.Answer.GetProperty("saved").GetBoolean()));
        var notes = await factory.WithDbAsync(db => db.PlanCheckIns.Where(c => c.ActivityId == meeting.Approaching).Select(c => c.Note).ToListAsync());
        Assert.Equal(["Agenda template late.", "Minutes caught up."], notes.Order());

        // A value by script from the page loaded before the check-ins, another as a plain form post (no script): both kept.
        var byScript = await PostAsScriptAsync(leader, ValueForm(leaderPage, meeting).Set("Value", "62.5").Set("Note", "October minutes"));
        Assert.Equal(HttpStatusCode.OK, byScript.Status);
        var plain = ValueForm(memberPage, meeting).Set("Value", "70").Set("Date", meeting.Today.AddDays(-7).ToString("yyyy-MM-dd"));
        var posted = await member.PostAsync(plain.Action, plain.Content());
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"{meeting.Url}#meeting-measure-{meeting.Measure}", posted.Headers.Location?.OriginalString);
        Assert.Equal([62.5m, 70m], (await factory.WithDbAsync(db => db.PlanMeasureValues.Where(v => v.MeasureId == meeting.Measure).Select(v => v.Value).ToListAsync())).Order());

        // Whoever follows the page sees the version move and reads the sections again: the new state, the new point, the news.
        Assert.True(await DataVersionAsync(member, meeting) > version);
        var sections = Html.Parse(await member.GetHtmlAsync($"{meeting.Url}/sections"));
        Assert.Null(sections.QuerySelector("header, nav, #close-meeting"));
        var chart = sections.Single($"#meeting-measure-{meeting.Measure} svg.run-chart");
        Assert.Contains("62.5%", chart.OuterHtml);
        var activity = sections.Single($"#activity-{meeting.Approaching}");
        Assert.Contains("Last check-in", activity.Single(".activity-judgment").Text());
        var news = sections.Single(".meeting-changes").QuerySelectorAll("li").Select(li => li.Text()).ToList();
        Assert.Contains(news, n => n.Contains("Approaching work: At risk (Lee Leader) — Agenda template late."));
        Assert.Contains(news, n => n.Contains("Approaching work: On track") && n.Contains("Minutes caught up."));
        Assert.Contains(news, n => n.StartsWith("Value") && n.Contains("Meetings with minutes: 62.5%") && n.Contains("October minutes"));

        // The meeting's record prints what was recorded.
        using var pdf = new PdfText(await member.GetByteArrayAsync($"{meeting.Url}/meeting.pdf"));
        Assert.Contains("Agendatemplatelate.", pdf.All);
        Assert.Contains("Minutescaughtup.", pdf.All);
        Assert.Contains("62.5%", pdf.All);
        Assert.DoesNotContain("Recordavalue", pdf.All);
    }

    [Fact]
    public async Task A_kept_chart_is_drawn_again_after_each_change_of_its_values_targets_or_phases_wherever_it_was_saved()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        async Task<AngleSharp.Dom.IElement> MeasureAsync() =>
            Html.Parse(await member.GetHtmlAsync($"{meeting.Url}/sections")).Single($"#meeting-measure-{meeting.Measure}");
        Assert.Contains("No district-wide value yet", (await MeasureAsync()).Text());

        // A value recorded at the meeting shows on the next read; a check-in after it leaves the chart as it was.
        var page = Html.Parse(await leader.GetHtmlAsync(meeting.Url));
        Assert.Equal(HttpStatusCode.OK, (await PostAsScriptAsync(leader, ValueForm(page, meeting).Set("Value", "62.5")
            .Set("Date", meeting.Today.AddDays(-14).ToString("yyyy-MM-dd")))).Status);
        var first = await MeasureAsync();
        Assert.Single(first.QuerySelectorAll(".run-chart-point"));
        Assert.Contains("62.5%", first.Single("svg.run-chart").OuterHtml);
        Assert.Equal(HttpStatusCode.OK, (await PostAsScriptAsync(leader, CheckInForm(page, meeting, meeting.OnTarget)
            .Set("Judgment", nameof(TeamJudgment.OnTrack)))).Status);
        Assert.Equal(first.OuterHtml, (await MeasureAsync()).OuterHtml);

        // Saves that did not come through this page (another web server, a report accepted) show on the next read as well.
        Task SaveAsync(Func<Infrastructure.Data.AppDbContext, Task> change) => factory.WithDbAsync(async db =>
        {
            await change(db);
            await db.SaveChangesAsync();
        });
        await SaveAsync(async db => (await db.PlanMeasureValues.SingleAsync(v => v.MeasureId == meeting.Measure)).Value = 80);
        var corrected = (await MeasureAsync()).Single("svg.run-chart").OuterHtml;
        Assert.Contains("80%", corrected);
        Assert.DoesNotContain("62.5%", corrected);

        await SaveAsync(db =>
        {
            db.PlanMeasureTargets.Add(new PlanMeasureTarget
            {
                DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, MeasureId = meeting.Measure,
                Date = meeting.Today.AddDays(30), Value = 90
            });
            db.PlanMeasurePhases.Add(new PlanMeasurePhase
            {
                DistrictId = meeting.Ids.Lakeshore, CycleId = meeting.CycleId, MeasureId = meeting.Measure,
                Date = meeting.Today.AddDays(-7), Label = "Minutes template"
            });
            return Task.CompletedTask;
        });
        var changed = await MeasureAsync();
        Assert.Single(changed.QuerySelectorAll(".run-chart-target"));
        Assert.Single(changed.QuerySelectorAll(".run-chart-phase-change"));

        // The measure's own fields (its name is the chart's title) renew its version, which the kept chart is drawn under too.
        await SaveAsync(async db => (await db.PlanMeasures.SingleAsync(m => m.Id == meeting.Measure)).Name = "Meetings with minutes posted");
        Assert.Contains("Run chart of Meetings with minutes posted", (await MeasureAsync()).Single("svg.run-chart").OuterHtml);

        await SaveAsync(async db => db.PlanMeasureValues.Remove(await db.PlanMeasureValues.SingleAsync(v => v.MeasureId == meeting.Measure)));
        Assert.Contains("No district-wide value yet", (await MeasureAsync()).Text());
    }

    [Fact]
    public async Task A_refused_value_or_check_in_says_why_next_to_its_field_in_json_or_on_the_page_and_nothing_is_kept()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var page = Html.Parse(await leader.GetHtmlAsync(meeting.Url));

        var percent = await PostAsScriptAsync(leader, ValueForm(page, meeting).Set("Value", "140"));
        Assert.Equal(HttpStatusCode.BadRequest, percent.Status);
        Assert.StartsWith("Enter a percent from 0 to 100", percent.Answer.GetProperty("errors").GetProperty("Value")[0].GetString());
        var future = await PostAsScriptAsync(leader, ValueForm(page, meeting).Set("Value", "40").Set("Date", meeting.Today.AddDays(1).ToString("yyyy-MM-dd")));
        Assert.Equal(HttpStatusCode.BadRequest, future.Status);
        Assert.Equal("A value cannot be dated after today.", future.Answer.GetProperty("errors").GetProperty("Date")[0].GetString());
        var noJudgment = await PostAsScriptAsync(leader, CheckInForm(page, meeting, meeting.OnTarget).Set("Note", "Forgot the judgment"));
        Assert.Equal(HttpStatusCode.BadRequest, noJudgment.Status);
        Assert.True(noJudgment.Answer.GetProperty("errors").TryGetProperty("Judgment", out _));

        // Without the script the measure's value page comes back with the message next to the value and the entries kept.
        var plain = ValueForm(page, meeting).Set("Value", "140");
        var refused = await leader.PostAsync(plain.Action, plain.Content());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.StartsWith("Enter a percent from 0 to 100", shown.Single($"#m{meeting.Measure}-value-value-error").Text());
        Assert.Equal("140", shown.Single($"#m{meeting.Measure}-value-value").GetAttribute("value"));

        // Another district's measure is not found; nothing was kept anywhere.
        var pineMeasure = await factory.WithDbAsync(async db =>
        {
            var measure = new PlanMeasure { DistrictId = meeting.Ids.PineRidge, CycleId = meeting.Ids.PineRidgeCycle, Name = "Theirs", Unit = MeasureUnit.Count };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            return measure.Id;
        });
        var foreign = ValueForm(page, meeting).Set("Value", "3");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{meeting.Url}/measures/{pineMeasure}/values") { Content = foreign.Content() };
        request.Headers.Add("Accept", "application/json");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.SendAsync(request)).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.MeasureId == meeting.Measure || v.MeasureId == pineMeasure)));
        Assert.False(await factory.WithDbAsync(db => db.PlanCheckIns.AnyAsync(c => c.ActivityId == meeting.OnTarget)));
    }

    [Fact]
    public async Task Building_teams_follow_the_meeting_but_cannot_record_in_it()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var form = ValueForm(Html.Parse(await leader.GetHtmlAsync(meeting.Url)), meeting).Set("Value", "50");
        var building = await factory.SignedInAsync("building1@example.org");
        Assert.Contains("\"v\"", await building.GetHtmlAsync($"{meeting.Url}/state"));
        Assert.Empty(Html.Parse(await building.GetHtmlAsync($"{meeting.Url}/sections")).QuerySelectorAll("form"));
        var token = await building.AntiforgeryTokenAsync(meeting.Url);
        var fields = form.Values.Where(v => v.Key != "__RequestVerificationToken").Append(KeyValuePair.Create("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostAsync(form.Action, new FormUrlEncodedContent(fields))).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.MeasureId == meeting.Measure)));
    }
}
