using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Features.Live;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>The year-end evaluation as a workshop step: opened by the facilitator, filled in from the participants' phones.</summary>
public sealed class WorkshopEvaluationTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string Page = "/join/workshop/evaluation";

    private sealed record Room(FreshCycle Cycle, StartedWorkshop Workshop, HttpClient Leader, int GoalId)
    {
        public string TeamPage => $"/districts/{Cycle.Ids.Lakeshore}/cycles/{Cycle.CycleId}/evaluation";
        public string Save => $"{Page}/goals/{GoalId}";
    }

    /// <summary>A new Lakeshore cycle with one goal and a funded strategy, and a workshop of it started by its key leader.</summary>
    private async Task<Room> NewRoomAsync()
    {
        var cycle = await FreshCycle.NewAsync(factory);
        var goalId = await factory.WithDbAsync(async db =>
        {
            var goal = new PlanGoal { DistrictId = cycle.Ids.Lakeshore, CycleId = cycle.CycleId, Statement = "Every student reads a book a month.", SortOrder = 1 };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            db.PlanStrategies.Add(new PlanStrategy { DistrictId = cycle.Ids.Lakeshore, CycleId = cycle.CycleId, GoalId = goal.Id, Title = "Classroom libraries", FundingSource = "Title I", PlannedAmount = 4000m });
            await db.SaveChangesAsync();
            return goal.Id;
        });
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, cycle.Ids.Lakeshore, cycle.CycleId, GroupAssignment.RoundRobin, "Evaluation table");
        return new Room(cycle, workshop, leader, goalId);
    }

    private static async Task<RenderedForm> FormAsync(HttpClient client, string page, string action) =>
        RenderedForm.Find(Html.Parse(await client.GetHtmlAsync(page)), action, ["Decision", "Rationale"])
        ?? throw new InvalidOperationException($"{page} has no form posting to {action}.");

    [Fact]
    public async Task The_facilitator_opens_the_evaluation_and_a_participant_saves_a_goal_through_the_plans_writer()
    {
        var room = await NewRoomAsync();
        var dana = await WorkshopSessions.JoinAsync(factory, room.Workshop.Code, "Dana");
        var eli = await WorkshopSessions.JoinAsync(factory, room.Workshop.Code, "Eli");

        // Not open yet: the page sends the seat to the open step, and a save is refused as the other steps' saves are.
        var early = await dana.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, early.StatusCode);
        Assert.Equal("/join/workshop", early.Headers.Location!.OriginalString);
        var token = await dana.AntiforgeryTokenAsync("/join");
        var refused = await dana.PostAsync(room.Save, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Decision"] = "Maintain", ["Rationale"] = "Too early",
        }));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.GoalEvaluations.AnyAsync(e => e.GoalId == room.GoalId)));

        // The presenter offers the step (never as "next"); opening it sends the participants' page there.
        var presenter = await room.Leader.GetHtmlAsync(room.Workshop.Root);
        Assert.Contains("Open Year-end evaluation", presenter, StringComparison.Ordinal);
        Assert.DoesNotContain("Next: Year-end evaluation", presenter, StringComparison.Ordinal);
        await WorkshopSessions.OpenStepAsync(room.Leader, room.Workshop, WorkshopStep.Evaluation);
        var moved = await dana.GetAsync("/join/workshop");
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(Page, moved.Headers.Location!.OriginalString);
        Assert.Contains("not decided yet", await room.Leader.GetHtmlAsync(room.Workshop.Root), StringComparison.Ordinal);

        // The phone shows the goal with its figures, the questions started from them, and the decision.
        var form = await FormAsync(dana, Page, room.Save);
        Assert.Contains("$4,000 was planned for its strategies (from Title I)", form.Values.Single(v => v.Key == "Readiness").Value, StringComparison.Ordinal);
        Assert.DoesNotContain(form.Values, v => v.Key == "Version"); // not saved yet
        var saved = await dana.PostAsync(form.Action, form.Set("Decision", "Maintain").Set("Rationale", "Every class has its library now.").Content());
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{Page}#goal-{room.GoalId}", saved.Headers.Location!.OriginalString);

        // The record is the cycle's evaluation, by the participant's seat, audited as coming through the workshop.
        var stored = await factory.WithDbAsync(db => db.GoalEvaluations.AsNoTracking().Where(e => e.GoalId == room.GoalId)
            .Select(e => new { e.Id, e.Decision, e.Rationale, By = db.Users.Where(u => u.Id == e.UpdatedByUserId).Select(u => u.DisplayName).First() }).SingleAsync());
        Assert.Equal((EvaluationDecision.Maintain, "Every class has its library now.", "Dana"), (stored.Decision!.Value, stored.Rationale, stored.By));
        var via = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(GoalEvaluation) && a.EntityId == stored.Id.ToString())
            .Select(a => a.Via).ToListAsync());
        Assert.NotEmpty(via); // a row per field written
        Assert.All(via, v => Assert.Equal($"workshop {room.Workshop.Code}", v));
        Assert.Contains("Every class has its library now.", await room.Leader.GetHtmlAsync(room.TeamPage), StringComparison.Ordinal);

        // The presenter's state carries the decision; the other seat's poll says to show the page again, the saver's own does not.
        var state = JsonDocument.Parse(await room.Leader.GetStringAsync($"{room.Workshop.Root}/state")).RootElement;
        Assert.Equal("Maintain", state.GetProperty("decisions").GetProperty(room.GoalId.ToString()).GetString());
        var poll = $"{Page}/poll?step=Evaluation&group={room.Workshop.GroupIds[0]}&since=0";
        var heard = JsonDocument.Parse(await eli.GetStringAsync(poll)).RootElement;
        Assert.True(heard.GetProperty("refresh").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await dana.GetAsync(poll)).StatusCode);

        // Moving on sends the seats back to the activities; ending the workshop closes the page.
        await WorkshopSessions.OpenStepAsync(room.Leader, room.Workshop, WorkshopStep.Activity3);
        Assert.Equal("Activity3", JsonDocument.Parse(await eli.GetStringAsync(poll)).RootElement.GetProperty("step").GetString());
        Assert.Equal(HttpStatusCode.Redirect, (await eli.GetAsync(Page)).StatusCode);
        await WorkshopSessions.EndAsync(room.Leader, room.Workshop);
        Assert.Equal(HttpStatusCode.Gone, (await eli.GetAsync(Page)).StatusCode);
    }

    [Fact]
    public async Task A_stale_form_from_a_phone_is_a_conflict_and_keeps_the_teams_save()
    {
        var room = await NewRoomAsync();
        var phone = await WorkshopSessions.JoinAsync(factory, room.Workshop.Code, "Fran");
        await WorkshopSessions.OpenStepAsync(room.Leader, room.Workshop, WorkshopStep.Evaluation);
        var first = await FormAsync(phone, Page, room.Save);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.PostAsync(first.Action, first.Copy().Set("Decision", "Revise").Set("Rationale", "Smaller steps.").Content())).StatusCode);

        // Both the phone and the team's page now show the saved version; the team saves first.
        var onPhone = await FormAsync(phone, Page, room.Save);
        Assert.Contains(onPhone.Values, v => v.Key == "Version");
        var team = await FormAsync(room.Leader, room.TeamPage, $"{room.TeamPage}/goals/{room.GoalId}");
        Assert.Equal(HttpStatusCode.Redirect, (await room.Leader.PostAsync(team.Action, team.Set("Rationale", "The team's reason.").Content())).StatusCode);

        var stale = await phone.PostAsync(onPhone.Action, onPhone.Set("Decision", "Discontinue").Set("Rationale", "Overwritten from the phone.").Content());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else saved this goal&#x27;s evaluation", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var kept = await factory.WithDbAsync(db => db.GoalEvaluations.Where(e => e.GoalId == room.GoalId).Select(e => new { e.Decision, e.Rationale }).SingleAsync());
        Assert.Equal((EvaluationDecision.Revise, "The team's reason."), (kept.Decision!.Value, kept.Rationale));
    }

    [Fact]
    public async Task A_seat_reaches_only_its_own_cycles_goals_and_a_removed_seat_nothing()
    {
        var room = await NewRoomAsync();
        var phone = await WorkshopSessions.JoinAsync(factory, room.Workshop.Code, "Gale");
        await WorkshopSessions.OpenStepAsync(room.Leader, room.Workshop, WorkshopStep.Evaluation);
        var otherGoal = await factory.WithDbAsync(async db =>
        {
            var goal = new PlanGoal { DistrictId = room.Cycle.Ids.PineRidge, CycleId = room.Cycle.Ids.PineRidgeCycle, Statement = "Pine Ridge's goal", SortOrder = 9 };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            return goal.Id;
        });
        var elsewhere = await phone.PostUnofferedAsync($"{Page}/goals/{otherGoal}", new() { ["Decision"] = "Archive", ["Rationale"] = "Not ours" }, Page);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.GoalEvaluations.AnyAsync(e => e.GoalId == otherGoal)));

        var participantId = await factory.WithDbAsync(db => db.WorkshopParticipants.Where(p => p.WorkshopId == room.Workshop.Id).Select(p => p.Id).SingleAsync());
        var removal = $"{room.Workshop.Root}/participants/{participantId}/remove";
        var form = await FormAsync(phone, Page, room.Save);
        Assert.Equal(HttpStatusCode.Redirect, (await room.Leader.PostFormAsync(removal, [], removal)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.GetAsync(Page)).StatusCode);
        var after = await phone.PostAsync(form.Action, form.Set("Decision", "Maintain").Set("Rationale", "After removal").Content());
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.GoalEvaluations.AnyAsync(e => e.GoalId == room.GoalId)));
    }

    [Fact]
    public async Task The_teams_save_reaches_the_seats_on_the_evaluation_step_and_not_the_others()
    {
        var room = await NewRoomAsync();
        var elsewhere = await WorkshopSessions.StartAsync(factory, room.Leader, room.Cycle.Ids.Lakeshore, room.Cycle.CycleId, GroupAssignment.RoundRobin, "Rating table");
        await WorkshopSessions.OpenStepAsync(room.Leader, room.Workshop, WorkshopStep.Evaluation);
        await WorkshopSessions.OpenStepAsync(room.Leader, elsewhere, WorkshopStep.Activity2);
        await using var evaluating = await (await LiveBrowser.SeatAsync(factory, room.Workshop.Code, "Evaluating")).ConnectAsync(LiveSetup.SeatPath);
        await using var rating = await (await LiveBrowser.SeatAsync(factory, elsewhere.Code, "Rating")).ConnectAsync(LiveSetup.SeatPath);
        await evaluating.SettleAsync();
        await rating.SettleAsync();

        var team = await FormAsync(room.Leader, room.TeamPage, $"{room.TeamPage}/goals/{room.GoalId}");
        Assert.Equal(HttpStatusCode.Redirect, (await room.Leader.PostAsync(team.Action, team.Set("Decision", "Archive").Set("Rationale", "Done.").Content())).StatusCode);
        Assert.NotNull(await evaluating.NextChangeAsync());
        Assert.Null(await rating.NextChangeAsync(0.5));
    }
}
