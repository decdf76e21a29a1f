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
        // Done work takes no more check-ins; the rest each have a form.
        Assert.Null(page.Single($"#activity-{meeting.Done}").QuerySelector("form"));
        Assert.NotNull(page.Single($"#activity-{meeting.Overdue}").QuerySelector("form"));
    }

    [Fact]
    public async Task A_check_in_recorded_in_the_meeting_returns_to_it_and_shows_as_news_and_a_refused_one_is_shown_next_to_its_field()
    {
        var meeting = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var url = $"{meeting.Url}/activities/{meeting.Approaching}/check-ins";

        var refused = await leader.PostFormAsync(url, new() { ["Note"] = "No judgment chosen" }, meeting.Url);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("Choose on track, at risk or off track.", shown.Single($"#a{meeting.Approaching}-checkin-judgment-error").Text());
        Assert.Equal("No judgment chosen", shown.Single($"#a{meeting.Approaching}-checkin-note").Text());

        var saved = await leader.PostFormAsync(url, new() { ["Judgment"] = nameof(TeamJudgment.AtRisk), ["Note"] = "Agenda template late." }, meeting.Url);
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

    private static RenderedForm CheckInForm(AngleSharp.Html.Dom.IHtmlDocument page, Meeting meeting, int activityId) =>
        RenderedForm.Find(page, $"{meeting.Url}/activities/{activityId}/check-ins", ["Judgment", "Note", "EvidenceLink"])
        ?? throw new InvalidOperationException("The meeting page has no check-in form for the activity.");

    private static RenderedForm ValueForm(AngleSharp.Html.Dom.IHtmlDocument page, Meeting meeting) =>
        RenderedForm.Find(page, $"{meeting.Url}/measures/{meeting.Measure}/values", ["Date", "Value", "BuildingId", "Note"])
        ?? throw new InvalidOperationException("The meeting page has no value form for the measure.");

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

        // Without the script the page comes back with the message next to the value and the entries kept.
        var plain = ValueForm(page, meeting).Set("Value", "140");
        var refused = await leader.PostAsync(plain.Action, plain.Content());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.StartsWith("Enter a percent from 0 to 100", shown.Single($"#meeting-measure-{meeting.Measure}-value-value-error").Text());
        Assert.Equal("140", shown.Single($"#meeting-measure-{meeting.Measure}-value-value").GetAttribute("value"));

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
