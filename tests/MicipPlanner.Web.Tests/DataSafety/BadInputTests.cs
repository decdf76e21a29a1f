using System.Reflection;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.DataSafety;

/// <summary>
/// Every field of every form gets hostile and broken values. Nothing may answer 5xx; a refusal names
/// the problem and leaves the database exactly as it was; whatever is saved is shown as text.
/// </summary>
public sealed partial class BadInputTests(MicipWebFactory factory, ITestOutputHelper output) : IClassFixture<MicipWebFactory>
{
    private const string Script = "<script>alert(1)</script>";

    /// <summary>Hostile values; null means "leave the field out", a second value means "send the field twice".</summary>
    private static readonly (string Name, string? Value, string? Second)[] Hostile =
    [
        ("empty", "", null),
        ("whitespace", "   \t  ", null),
        ("100,000 characters", new string('x', 100_000), null),
        ("control characters and NUL", "a\u0000b\u0007c\u001b[31m", null),
        ("RTL override and emoji", "\u202Egnp.exe\u202C 🙂 👩🏽‍🏫", null),
        ("script", Script, null),
        ("SQL quotes", "'; DROP TABLE x;--", null),
        ("wrong type", "abc", null),
        ("enum out of range", "99", null),
        ("negative", "-1", null),
        ("missing", null, null),
        ("duplicated", "first", Script),
    ];

    private sealed record Probe(string Action, string Actor, string Url, string FormPage, Func<Task<List<KeyValuePair<string, string>>>> Baseline);

    /// <summary>POST actions without free fields to attack (or that would end the session under test), each with the reason.</summary>
    private static readonly Dictionary<string, string> Exempt = new()
    {
        ["AccountController.SignOutPost"] = "no fields; ends the session",
        ["AccountController.Setup"] = "only answers while no administrator exists (covered by the first-run tests)",
        ["ConsensusController.Finalize"] = "no fields; would lock the rubric under test",
        ["ConsensusController.Reopen"] = "one checkbox; covered by the rubric tests",
        ["RatingGroupsController.Delete"] = "one checkbox; covered by the rubric tests",
        ["Activity1Controller.DeleteExample"] = "no fields",
        ["NotificationsController.MarkAllRead"] = "no fields",
        ["NotificationsController.DigestSetting"] = "one checkbox; on and off are covered by the digest tests",
        ["ImportController.Upload"] = "a file upload; broken and foreign files are covered by the export tests",
        ["TwoFactorController.SignInCode"] = "needs the half-signed-in two-factor state; wrong and malformed codes are covered by the two-factor tests",
        ["TwoFactorController.RecoveryCode"] = "needs the half-signed-in two-factor state; wrong codes are covered by the two-factor tests",
        ["TwoFactorController.Authenticator"] = "one code field; wrong codes are covered by the two-factor tests",
        ["TwoFactorController.NewRecoveryCodes"] = "no fields",
        ["TwoFactorController.Disable"] = "no fields",
        ["TwoFactorController.ResetKey"] = "no fields",
        ["CalendarFeedController.Create"] = "no fields; makes the person's own feed (calendar feed tests)",
        ["CalendarFeedController.RevokeConfirmed"] = "no fields; revokes the person's own feed (calendar feed tests)",
        ["OrganisationController.RevokeInvitation"] = "no fields",
        ["OrganisationController.RemoveMember"] = "no fields; the confirmation itself",
        ["PlanController.RemoveStrategy"] = "one checkbox and the version; covered by the plan correction tests",
        ["PlanController.RemoveActivity"] = "one checkbox and the version; covered by the plan correction tests",
        ["PlanController.RemoveMeasure"] = "one checkbox and the version; covered by the plan correction tests",
        ["PlanController.RemoveValue"] = "one checkbox and the version; covered by the plan correction tests",
        ["BuildingReportsController.RemovePeriod"] = "one checkbox, the number of drafts shown and the version; covered by the building report tests",
        ["MonitoringController.RecordMeeting"] = "no fields; once a day is covered by the monitoring tests",
        ["AdminController.Assign"] = "ids chosen from lists; unknown ids are refused in the organisation tests",
        ["AdminController.Unassign"] = "ids chosen from lists; unknown ids are refused in the organisation tests",
        ["InvitationsController.Open"] = "one code field; empty, unknown, used and expired codes are covered by the invitation tests",
        ["InvitationsController.Accept"] = "needs an opened invitation; names and password rules are covered by the invitation tests",
        ["NetworksController.RemoveDistrict"] = "one confirmation tick; covered by the network tests",
        ["PracticeNotesController.Withdraw"] = "one confirmation tick; covered by the network tests",
        ["PracticeNotesController.Publish"] = "no form fields (the note id is in the route); covered by the network tests",
        ["WorkshopsController.Step"] = "one step chosen by a button; unknown steps are refused with a message (workshop tests)",
        ["WorkshopsController.Timer"] = "one action chosen by a button",
        ["WorkshopsController.Names"] = "one checkbox",
        ["WorkshopsController.End"] = "no fields; the confirmation itself",
        ["WorkshopsController.Remove"] = "no fields; the confirmation itself",
        ["ExternalSignInController.Start"] = "one provider name from a button; unknown names answer 404 (external sign-in tests)",
        ["ExternalSignInController.Link"] = "one provider name from a button; unknown names answer 404 (external sign-in tests)",
        ["ExternalSignInController.RemoveConfirmed"] = "one provider name; the confirmation itself (external sign-in tests)",
        // The scripts' side of a probed form post, at the same address with the same form: the probe covers the form, and
        // the JSON answers to refused fields are covered by the refused-form tests.
        ["RubricAutosaveController.Save"] = "the rubric row form's autosave (RubricController.Save is probed)",
        ["ParticipantAutosaveController.Rate"] = "the participant row form's autosave (JoinController.Rate is probed)",
        ["BalanceAutosaveController.SaveBuilding"] = "the building template's autosave (BalanceTemplatesController.SaveBuilding is probed)",
        ["BalanceAutosaveController.SaveDistrict"] = "the district template's autosave (BalanceTemplatesController.SaveDistrict is probed)",
        ["MeetingScriptController.RecordCheckIn"] = "the meeting script's check-in (MonitoringController.RecordCheckIn is probed)",
        ["MeetingScriptController.RecordValue"] = "the meeting script's value (MonitoringController.RecordValue is probed)",
    };

    private int _counter;
    private string Next() => Interlocked.Increment(ref _counter).ToString("00000");

    private static List<KeyValuePair<string, string>> F(params (string Key, string Value)[] fields) =>
        fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).ToList();

    private async Task<List<Probe>> ProbesAsync()
    {
        var ids = await DemoIds.LoadAsync(factory);
        int d = ids.Lakeshore, c = ids.LakeshoreCycle, building = ids.LakeshoreBuildings[1];
        var (group, actionId, leaderId, question, groupToEdit) = await factory.WithDbAsync(async db =>
        {
            var g = await db.RatingGroups.Where(x => x.CycleId == c).OrderBy(x => x.SortOrder).Select(x => x.Id).FirstAsync();
            var a = await db.ActionItems.Where(x => x.CycleId == c).Select(x => x.Id).FirstAsync();
            var leader = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync();
            var editable = new Domain.Rubric.RatingGroup { DistrictId = d, CycleId = c, Name = "Probe group", SortOrder = 9 };
            db.RatingGroups.Add(editable);
            await db.SaveChangesAsync();
            return (g, a, leader, ToolkitCatalog.LoadEmbedded().Default.Rubric.DiscussionQuestions[0].Key, editable.Id);
        });
        var seat = await DistrictRouteValues.NewMembershipAsync(factory, d);
        var (network, note) = await factory.WithDbAsync(async db =>
        {
            var n = await db.NetworkMemberships.Where(m => m.DistrictId == d).Select(m => m.NetworkId).FirstAsync();
            var made = new Domain.Networks.PracticeNote
            {
                DistrictId = d, CycleId = ids.LakeshoreLastCycle, RowKey = "vision", Level = 1, Text = "Probe note", CreatedByUserId = leaderId,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.PracticeNotes.Add(made);
            await db.SaveChangesAsync();
            return (n, made.Id);
        });
        var plan = await DistrictRouteValues.LoadAsync(factory, d, c); // a goal → strategy → activity of the cycle's plan
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd");
        var toFile = await factory.WithDbAsync(async db => // an action item of its own for the filing probe
        {
            var item = new Domain.Rubric.ActionItem { DistrictId = d, CycleId = c, Title = "Probe: to be filed", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow };
            db.ActionItems.Add(item);
            await db.SaveChangesAsync();
            return item.Id;
        });
        var probeWorkshop = await WorkshopSessions.CreateAsync(factory, d, c);
        var pickGroup = probeWorkshop.GroupIds[0];
        await factory.WithDbAsync(async db =>
        {
            (await db.Workshops.SingleAsync(w => w.Id == probeWorkshop.Id)).GroupAssignment = Domain.Workshops.GroupAssignment.ParticipantsPick;
            await db.SaveChangesAsync();
        });
        Task<string> VersionOf(Func<AppDbContext, Task<Guid?>> query) => factory.WithDbAsync(async db => (await query(db))?.ToString() ?? "");
        var root = $"/districts/{d}/cycles/{c}";
        var rubric = $"{root}/rubric";
        List<KeyValuePair<string, string>> Template(string version) => F(
            ("Items[0].RowNumber", "1"), ("Items[0].Function", "District"), ("Items[0].Status", "NeedsStrengthening"),
            ("Items[0].Evidence", "Evidence"), ("Items[0].NextAction", "Next"), ("Items[0].Owner", "Owner"), ("Items[0].TargetDate", "2027-01-15"),
            ("BuildingsAnswer", "b"), ("DistrictsAnswer", "d"), ("CommonAnswer", "c"), ("Version", version));
        List<KeyValuePair<string, string>> BuildingTemplate(string version) => F(
            ("Items[0].RowNumber", "1"), ("Items[0].Function", "Building"), ("Items[0].Status", "InPlace"),
            ("Items[0].Evidence", "Evidence"), ("Items[0].NextAction", "Next"), ("Items[0].Owner", "Owner"), ("Items[0].TargetDate", "2027-01-15"),
            ("BuildingsAnswer", "b"), ("DistrictsAnswer", "d"), ("CommonAnswer", "c"), ("Version", version));
        Task<string> TemplateVersion(int? b) => VersionOf(db => db.BalanceTemplates.Where(t => t.CycleId == c && t.BuildingId == b).OrderBy(t => t.Id).Select(t => (Guid?)t.Version).FirstOrDefaultAsync());

        // Building 2's monitoring report of the cycle's first period: a reported measure and an activity it takes part in.
        var report = await factory.WithDbAsync(async db => new
        {
            PeriodId = await db.MonitoringPeriods.Where(p => p.CycleId == c).OrderBy(p => p.DueDate).Select(p => p.Id).FirstAsync(),
            MeasureId = await db.ReportedMeasures.Where(r => r.CycleId == c).OrderBy(r => r.MeasureId).Select(r => r.MeasureId).FirstAsync(),
            ActivityId = await db.PlanActivities.Where(a => a.CycleId == c && a.AllBuildings && a.DoneDate == null).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
        });
        var reportUrl = $"{root}/reports/periods/{report.PeriodId}/buildings/{building}";
        var periodToEdit = await factory.WithDbAsync(async db => // a period of its own for the change probe
        {
            var period = new Domain.Plan.MonitoringPeriod { DistrictId = d, CycleId = c, Name = "Probe period", DueDate = new DateOnly(2027, 3, 1), CreatedAt = DateTimeOffset.UtcNow };
            db.MonitoringPeriods.Add(period);
            await db.SaveChangesAsync();
            return period.Id;
        });
        // PDSA cycles of their own on the plan's activity, each at the stage its probe moves from.
        var pdsa = await factory.WithDbAsync(async db =>
        {
            Domain.Plan.PdsaCycle At(Domain.Plan.PdsaStage stage) => new()
            {
                DistrictId = d, CycleId = c, ActivityId = plan.ActivityId, Stage = stage, ChangeIdea = "Probe change", Question = "Q?", Prediction = "P.",
                WhatHappened = stage >= Domain.Plan.PdsaStage.Do ? "Tried" : "", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow,
            };
            var decided = At(Domain.Plan.PdsaStage.Act);
            decided.Decision = Domain.Plan.PdsaDecision.Adopt;
            var made = new[] { At(Domain.Plan.PdsaStage.Plan), At(Domain.Plan.PdsaStage.Plan), At(Domain.Plan.PdsaStage.Do), At(Domain.Plan.PdsaStage.Study), decided };
            db.PdsaCycles.AddRange(made);
            await db.SaveChangesAsync();
            return new { Plan = made[0].Id, Do = made[1].Id, Study = made[2].Id, Act = made[3].Id, Decided = decided.Id };
        });
        // Last year's goal the demo's evaluation maintained (already carried into this year: a probe's save changes nothing).
        var maintained = await factory.WithDbAsync(db => db.GoalEvaluations.Where(e => e.CycleId == ids.LakeshoreLastCycle && e.Decision == Domain.Plan.EvaluationDecision.Maintain)
            .Select(e => e.GoalId).FirstAsync());
        Task<string> EvaluationVersion() => VersionOf(db => db.GoalEvaluations.Where(e => e.GoalId == plan.GoalId).Select(e => (Guid?)e.Version).FirstOrDefaultAsync());
        Task<string> PdsaVersion(int id) => VersionOf(db => db.PdsaCycles.Where(p => p.Id == id).Select(p => (Guid?)p.Version).FirstOrDefaultAsync());
        Task<string> ReportVersion() => VersionOf(db => db.BuildingReports.Where(r => r.PeriodId == report.PeriodId && r.BuildingId == building).Select(r => (Guid?)r.Version).FirstOrDefaultAsync());

        return
        [
            new("RubricController.Save", "member@example.org", $"{rubric}/groups/{group}/rows/vision", rubric, async () =>
                F(("Level", "2"), ("Evidence", "Evidence"), ("Version", await VersionOf(db => db.RubricRatings.Where(r => r.RatingGroupId == group && r.RowKey == "vision").Select(r => (Guid?)r.Version).FirstOrDefaultAsync())))),
            new("ConsensusController.RecordConsensus", "leader@example.org", $"{rubric}/consensus/vision", $"{rubric}/compare", async () =>
                F(("Level", "3"), ("Rationale", "Agreed"), ("Version", await VersionOf(db => db.ConsensusRatings.Where(r => r.CycleId == c && r.RowKey == "vision").Select(r => (Guid?)r.Version).FirstOrDefaultAsync())))),
            new("DiscussionController.Save", "member@example.org", $"{rubric}/discussion/{question}", $"{rubric}/discussion", async () =>
                F(("Text", "Notes"), ("Version", await VersionOf(db => db.DiscussionNotes.Where(n => n.CycleId == c && n.QuestionKey == question).Select(n => (Guid?)n.Version).FirstOrDefaultAsync())))),
            new("RatingGroupsController.Create", "leader@example.org", $"{rubric}/groups", $"{rubric}/groups", () =>
                Task.FromResult(F(("Name", "Group " + Next()), ("MemberIds", leaderId), ("Version", "")))),
            new("RatingGroupsController.Update", "leader@example.org", $"{rubric}/groups/{groupToEdit}", $"{rubric}/groups", async () =>
                F(("Name", "Probe group"), ("MemberIds", leaderId), ("Version", await VersionOf(db => db.RatingGroups.Where(g => g.Id == groupToEdit).Select(g => (Guid?)g.Version).FirstOrDefaultAsync())))),
            new("ActionsController.Create", "member@example.org", $"{root}/actions", $"{root}/actions", () =>
                Task.FromResult(F(("Title", "Do it"), ("SourceKey", ""), ("OwnerUserId", leaderId), ("DueDate", "2027-02-01"), ("Status", "NotStarted")))),
            new("ActionsController.Update", "member@example.org", $"{root}/actions/{actionId}", $"{root}/actions", async () =>
                F(("Title", "Do it"), ("SourceKey", ""), ("OwnerUserId", leaderId), ("DueDate", "2027-02-01"), ("Status", "InProgress"),
                  ("Version", await VersionOf(db => db.ActionItems.Where(a => a.Id == actionId).Select(a => (Guid?)a.Version).FirstOrDefaultAsync())))),
            new("PlanController.AddGoal", "member@example.org", $"{root}/plan/goals", $"{root}/plan", () =>
                Task.FromResult(F(("Statement", "By June, 80% of third graders read at grade level."), ("State", "Active"), ("RubricRowKeys", "vision")))),
            new("PlanController.AddStrategy", "member@example.org", $"{root}/plan/goals/{plan.GoalId}/strategies", $"{root}/plan", () =>
                Task.FromResult(F(("Title", "Literacy coaching"), ("Systems", "Data"), ("FundingSource", "Title II"), ("PlannedAmount", "1200.50")))),
            new("PlanController.AddActivity", "member@example.org", $"{root}/plan/strategies/{plan.StrategyId}/activities", $"{root}/plan", () =>
                Task.FromResult(F(("Title", "Train the coaches"), ("OwnerUserId", leaderId), ("StartDate", "2026-09-01"), ("DueDate", "2027-01-15"), ("DoneDate", ""), ("AllBuildings", "false"), ("BuildingIds", building.ToString())))),
            new("PlanController.RecordCheckIn", "member@example.org", $"{root}/plan/activities/{plan.ActivityId}/check-ins", $"{root}/plan", () =>
                Task.FromResult(F(("Date", yesterday), ("Judgment", "OnTrack"), ("Note", "On schedule"), ("EvidenceLink", "https://example.org/minutes")))),
            new("MonitoringController.RecordCheckIn", "member@example.org", $"{root}/monitoring/activities/{plan.ActivityId}/check-ins", $"{root}/monitoring/activities/{plan.ActivityId}/check-in", () =>
                Task.FromResult(F(("Date", yesterday), ("Judgment", "AtRisk"), ("Note", "Behind"), ("EvidenceLink", "")))),
            new("PlanController.ChangeGoalState", "member@example.org", $"{root}/plan/goals/{plan.GoalId}/state", $"{root}/plan", async () =>
                F(("State", "Maintenance"), ("Version", await VersionOf(db => db.PlanGoals.Where(g => g.Id == plan.GoalId).Select(g => (Guid?)g.Version).FirstOrDefaultAsync())))),
            new("PlanController.EditActivity", "member@example.org", $"{root}/plan/activities/{plan.ActivityId}", $"{root}/plan", async () =>
                F(("Title", "Train the coaches"), ("OwnerUserId", leaderId), ("StartDate", "2026-09-01"), ("DueDate", "2027-01-15"), ("DoneDate", ""),
                  ("Version", await VersionOf(db => db.PlanActivities.Where(a => a.Id == plan.ActivityId).Select(a => (Guid?)a.Version).FirstOrDefaultAsync())))),
            new("PlanController.FileActionItem", "member@example.org", $"{root}/plan/action-items/{toFile}/file", $"{root}/plan", () =>
                Task.FromResult(F(("StrategyId", plan.StrategyId.ToString())))),
            new("PlanController.AddGoalMeasure", "member@example.org", $"{root}/plan/goals/{plan.GoalId}/measures", $"{root}/plan", () =>
                Task.FromResult(F(("Name", "Third graders at grade level"), ("Kind", "Outcome"), ("Unit", "Percent"), ("Better", "Higher"), ("BaselineValue", "64"),
                  ("BaselineDate", "2026-09-01"), ("EndTargetValue", "80"), ("EndTargetDate", "2027-06-01"), ("DataSource", "Spring benchmark")))),
            new("PlanController.AddStrategyMeasure", "member@example.org", $"{root}/plan/strategies/{plan.StrategyId}/measures", $"{root}/plan", () =>
                Task.FromResult(F(("Name", "Coached classrooms"), ("Kind", "Process"), ("Unit", "Count"), ("Better", "Higher"), ("DataSource", "Coach logs")))),
            new("PlanController.AddActivityMeasure", "member@example.org", $"{root}/plan/activities/{plan.ActivityId}/measures", $"{root}/plan", () =>
                Task.FromResult(F(("Name", "Minutes taken from science"), ("Kind", "Balancing"), ("Unit", "Rate"), ("Better", "Lower"), ("DataSource", "Schedules")))),
            new("PlanController.AddInterimTarget", "member@example.org", $"{root}/plan/measures/{plan.MeasureId}/targets", $"{root}/plan", () =>
                Task.FromResult(F(("Date", "2027-01-15"), ("Value", "70")))),
            new("PlanController.AddPhaseChange", "member@example.org", $"{root}/plan/measures/{plan.MeasureId}/phases", $"{root}/plan", () =>
                Task.FromResult(F(("Date", yesterday), ("Label", "Coaching began")))),
            new("PlanController.RecordValue", "member@example.org", $"{root}/plan/measures/{plan.MeasureId}/values", $"{root}/plan", () =>
                Task.FromResult(F(("Date", yesterday), ("Value", "62.5"), ("BuildingId", building.ToString()), ("Note", "Fall benchmark")))),
            new("MonitoringController.RecordValue", "member@example.org", $"{root}/monitoring/measures/{plan.MeasureId}/values", $"{root}/monitoring/measures/{plan.MeasureId}/value", () =>
                Task.FromResult(F(("Date", yesterday), ("Value", "62.5"), ("BuildingId", building.ToString()), ("Note", "Fall benchmark")))),
            new("PlanController.EditGoal", "member@example.org", $"{root}/plan/goals/{plan.GoalId}", $"{root}/plan", async () =>
                F(("Statement", "By June, 85% of third graders read at grade level."),
                  ("Version", await VersionOf(db => db.PlanGoals.Where(g => g.Id == plan.GoalId).Select(g => (Guid?)g.Version).FirstOrDefaultAsync())))),
            new("PlanController.EditStrategy", "member@example.org", $"{root}/plan/strategies/{plan.StrategyId}", $"{root}/plan", async () =>
                F(("Title", "Literacy coaching"), ("Systems", "Data"), ("FundingSource", "Title II"), ("PlannedAmount", "1200.50"),
                  ("Version", await VersionOf(db => db.PlanStrategies.Where(s => s.Id == plan.StrategyId).Select(s => (Guid?)s.Version).FirstOrDefaultAsync())))),
            new("PlanController.EditMeasure", "member@example.org", $"{root}/plan/measures/{plan.MeasureId}", $"{root}/plan", async () =>
                F(("Name", "Third graders at grade level"), ("Kind", "Outcome"), ("Unit", "Percent"), ("Better", "Higher"), ("BaselineValue", "64"),
                  ("BaselineDate", "2026-09-01"), ("EndTargetValue", "80"), ("EndTargetDate", "2027-06-01"), ("DataSource", "Spring benchmark"),
                  ("Version", await VersionOf(db => db.PlanMeasures.Where(m => m.Id == plan.MeasureId).Select(m => (Guid?)m.Version).FirstOrDefaultAsync())))),
            new("PlanController.CorrectValue", "member@example.org", $"{root}/plan/values/{plan.ValueId}", $"{root}/plan", async () =>
                F(("Date", yesterday), ("Value", "62.5"), ("BuildingId", building.ToString()), ("Note", "Fall benchmark, corrected"),
                  ("Version", await VersionOf(db => db.PlanMeasureValues.Where(v => v.Id == plan.ValueId).Select(v => (Guid?)v.Version).FirstOrDefaultAsync())))),
            new("PdsaController.Add", "member@example.org", $"{root}/pdsa/activities/{plan.ActivityId}", $"{root}/pdsa/activities/{plan.ActivityId}", () =>
                Task.FromResult(F(("ChangeIdea", "Coaches model a read-aloud"), ("Question", "Do teachers try it?"), ("Prediction", "Four of six will."),
                    ("Who", "Coaches"), ("Where", "Grade 3"), ("StartDate", "2026-10-01"), ("EndDate", "2026-10-20"), ("MeasureIds", plan.MeasureId.ToString())))),
            new("PdsaController.EditPlan", "member@example.org", $"{root}/pdsa/{pdsa.Plan}/plan", $"{root}/pdsa/{pdsa.Plan}", async () =>
                F(("ChangeIdea", "Coaches model a read-aloud"), ("Question", "Do teachers try it?"), ("Prediction", "Four of six will."),
                    ("Who", "Coaches"), ("Where", "Grade 3"), ("StartDate", "2026-10-01"), ("EndDate", "2026-10-20"), ("MeasureIds", plan.MeasureId.ToString()),
                    ("Version", await PdsaVersion(pdsa.Plan)))),
            new("PdsaController.RecordDo", "member@example.org", $"{root}/pdsa/{pdsa.Do}/do", $"{root}/pdsa/{pdsa.Do}", async () =>
                F(("WhatHappened", "Five tried it."), ("Problems", "One visit cancelled."), ("Observations", "Students asked for more."), ("Version", await PdsaVersion(pdsa.Do)))),
            new("PdsaController.RecordStudy", "member@example.org", $"{root}/pdsa/{pdsa.Study}/study", $"{root}/pdsa/{pdsa.Study}", async () =>
                F(("PredictionOutcome", "Held"), ("Result", "Five of six tried it."), ("Version", await PdsaVersion(pdsa.Study)))),
            new("PdsaController.RecordAct", "member@example.org", $"{root}/pdsa/{pdsa.Act}/act", $"{root}/pdsa/{pdsa.Act}", async () =>
                F(("Decision", "Adopt"), ("DecisionNote", "All coaches do it."), ("Version", await PdsaVersion(pdsa.Act)))),
            new("EvaluationController.Save", "member@example.org", $"{root}/evaluation/goals/{plan.GoalId}", $"{root}/evaluation", async () =>
                F(("Readiness", "Two owners; $12,500 planned."), ("Fidelity", "3 on time."), ("ScaleAndReach", "4 of 4 buildings."), ("Impact", "Target met."),
                  ("AmountUsed", "9800.50"), ("Decision", "Maintain"), ("Rationale", "It works."), ("Version", await EvaluationVersion()))),
            // The same goal's evaluation from a participant's phone while the workshop is on its evaluation step.
            new("WorkshopEvaluationController.Save", "participant:Evaluation", $"/join/workshop/evaluation/goals/{plan.GoalId}", "/join/workshop/evaluation", async () =>
                F(("Readiness", "Two owners."), ("Fidelity", "3 on time."), ("ScaleAndReach", "4 of 4 buildings."), ("Impact", "Target met."),
                  ("AmountUsed", "100"), ("Decision", "Revise"), ("Rationale", "From the workshop."), ("Version", await EvaluationVersion()))),
            new("EvaluationController.Carry", "member@example.org", $"{root}/evaluation/carry-over", $"{root}/evaluation/carry-over", () =>
                Task.FromResult(F(("GoalIds", maintained.ToString())))),
            new("Activity1Controller.AddExample", "member@example.org", $"{root}/activity-1/examples", $"{root}/activity-1", () =>
                Task.FromResult(F(("ConsequenceKey", "incomplete-data"), ("Description", "It happened")))),
            new("Activity1Controller.SaveReflection", "member@example.org", $"{root}/activity-1/reflection", $"{root}/activity-1", () =>
                Task.FromResult(F(("OutcomeNumber", "1"), ("Why", "Because")))),
            new("BalanceTemplatesController.SaveDistrict", "member@example.org", $"{root}/balance/district", $"{root}/balance/district", async () =>
                Template(await TemplateVersion(null))),
            new("BalanceTemplatesController.SaveBuilding", "building2@example.org", $"{root}/balance/buildings/{building}", $"{root}/balance/buildings/{building}", async () =>
                BuildingTemplate(await TemplateVersion(building))),
            new("BalanceReviewController.Comment", "leader@example.org", $"{root}/balance/buildings/{building}/comments", $"{root}/balance/buildings/{building}", () =>
                Task.FromResult(F(("TargetKey", "template"), ("Body", "Looks good")))),
            new("BalanceReviewController.Submit", "building2@example.org", $"{root}/balance/buildings/{building}/submit", $"{root}/balance/buildings/{building}", async () =>
                F(("Comment", "Ready"), ("Version", await TemplateVersion(building)))),
            new("BalanceReviewController.Return", "leader@example.org", $"{root}/balance/buildings/{building}/return", $"{root}/balance/buildings/{building}", async () =>
                F(("Comment", "Please add owners"), ("Version", await TemplateVersion(building)))),
            new("BalanceReviewController.Accept", "leader@example.org", $"{root}/balance/buildings/{building}/accept", $"{root}/balance/buildings/{building}", async () =>
                F(("Comment", "Thanks"), ("Version", await TemplateVersion(building)))),
            new("BuildingReportsController.AddPeriod", "member@example.org", $"{root}/reports/periods", $"{root}/reports", () =>
                Task.FromResult(F(("Name", "Winter " + Next()), ("DueDate", "2027-02-15")))),
            new("BuildingReportsController.EditPeriod", "member@example.org", $"{root}/reports/periods/{periodToEdit}", $"{root}/reports/periods/{periodToEdit}", async () =>
                F(("Name", "Spring " + Next()), ("DueDate", "2027-04-15"),
                  ("Version", await VersionOf(db => db.MonitoringPeriods.Where(p => p.Id == periodToEdit).Select(p => (Guid?)p.Version).FirstOrDefaultAsync())))),
            new("BuildingReportsController.SetMeasures", "member@example.org", $"{root}/reports/measures", $"{root}/reports", () =>
                Task.FromResult(F(("MeasureIds", report.MeasureId.ToString())))),
            new("BuildingReportsController.Save", "building2@example.org", reportUrl, reportUrl, async () =>
                F(("Values[0].MeasureId", report.MeasureId.ToString()), ("Values[0].Value", "55"), ("Values[0].Note", "Pulse survey"),
                  ("Activities[0].ActivityId", report.ActivityId.ToString()), ("Activities[0].Judgment", "OnTrack"), ("Activities[0].Note", "Going well"),
                  ("Recommendations", "More coaching time."), ("Version", await ReportVersion()))),
            new("BuildingReportsController.Submit", "building2@example.org", $"{reportUrl}/submit", reportUrl, async () =>
                F(("Comment", ""), ("Version", await ReportVersion()))),
            new("BuildingReportsController.Return", "leader@example.org", $"{reportUrl}/return", reportUrl, async () =>
                F(("Comment", "Please add the survey note"), ("Version", await ReportVersion()))),
            new("BuildingReportsController.Accept", "leader@example.org", $"{reportUrl}/accept", reportUrl, async () =>
                F(("Comment", ""), ("Version", await ReportVersion()))),
            new("OrganisationController.CreateBuilding", "leader@example.org", $"/districts/{d}/buildings/new", $"/districts/{d}/buildings/new", () =>
                Task.FromResult(F(("Name", "School " + Next()), ("Code", "3" + Next()[1..]), ("Grades", "K-5")))),
            new("OrganisationController.UpdateBuilding", "leader@example.org", $"/districts/{d}/buildings/{ids.LakeshoreBuildings[3]}/edit", $"/districts/{d}/buildings/{ids.LakeshoreBuildings[3]}/edit", async () =>
                F(("Name", "Lakeshore High School"), ("Code", "01004"), ("Grades", "9-12"),
                  ("Version", await VersionOf(db => db.Buildings.Where(b => b.Id == ids.LakeshoreBuildings[3]).Select(b => (Guid?)b.Version).FirstOrDefaultAsync())))),
            new("DistrictsController.Edit", "leader@example.org", $"/districts/{d}/edit", $"/districts/{d}/edit", async () =>
                F(("Name", "Lakeshore Public Schools"), ("Code", "61990"), ("Isd", "Lakeshore Area ISD"), ("TimeZoneId", "America/Detroit"), ("AnyBuildingMemberMaySubmit", "true"),
                  ("Version", await VersionOf(db => db.Districts.Where(x => x.Id == d).Select(x => (Guid?)x.Version).FirstOrDefaultAsync())))),
            new("DistrictsController.Create", "admin@example.org", "/districts/new", "/districts/new", () =>
                Task.FromResult(F(("Name", "District " + Next()), ("Code", "4" + Next()[1..]), ("Isd", "Some ISD"), ("TimeZoneId", "America/Detroit")))),
            new("OrganisationController.CreateInvitation", "leader@example.org", $"/districts/{d}/invitations/new", $"/districts/{d}/invitations/new", () =>
                Task.FromResult(F(("Email", $"probe{Next()}@example.net"), ("DisplayName", "Probe Person"), ("Role", "BoardMember"), ("BuildingId", "")))),
            new("OrganisationController.StartCycle", "leader@example.org", $"/districts/{d}/cycles/new", $"/districts/{d}/cycles/new", () =>
                Task.FromResult(F(("SchoolYear", Domain.Organisation.SchoolYears.Format(2030 + int.Parse(Next()) % 70))))),
            new("OrganisationController.UpdateMember", "leader@example.org", $"/districts/{d}/organisation/members/{seat}", $"/districts/{d}/organisation/members/{seat}", async () =>
                F(("Role", "CommunityRepresentative"), ("Version", await VersionOf(db => db.TeamMemberships.Where(m => m.Id == seat).Select(m => (Guid?)m.Version).FirstOrDefaultAsync())))),
            new("AdminController.InviteFacilitator", "admin@example.org", "/admin/facilitators/invite", "/admin/people", () =>
                Task.FromResult(F(("Email", $"coach{Next()}@example.net"), ("DisplayName", "Probe Coach"), ("DistrictId", d.ToString())))),
            new("NetworksController.Create", "admin@example.org", "/networks/new", "/networks/new", () =>
                Task.FromResult(F(("Name", "Network " + Next()), ("Description", "Districts learning together"), ("CoordinatorUserId", "")))),
            new("NetworksController.Update", "admin@example.org", $"/networks/{network}/edit", $"/networks/{network}/edit", async () =>
                F(("Name", "Probe Network " + Next()), ("Description", "Districts learning together"), ("CoordinatorUserId", ""),
                  ("Version", await VersionOf(db => db.Networks.Where(x => x.Id == network).Select(x => (Guid?)x.Version).FirstOrDefaultAsync())))),
            new("NetworksController.AddDistrict", "admin@example.org", $"/networks/{network}/districts", $"/networks/{network}/edit", async () =>
                F(("DistrictId", (await factory.WithDbAsync(db => db.Districts.Where(x => !db.NetworkMemberships.Any(m => m.NetworkId == network && m.DistrictId == x.Id))
                    .Select(x => (int?)x.Id).FirstOrDefaultAsync()) ?? d).ToString()))),
            new("PracticeNotesController.Create", "leader@example.org", $"/districts/{d}/practice-notes", $"/districts/{d}/practice-notes", () =>
                Task.FromResult(F(("CycleId", ids.LakeshoreLastCycle.ToString()), ("RowKey", "routines"), ("Text", "A standing meeting helped."), ("ContactRole", "Director"), ("IsAnonymous", "false")))),
            new("PracticeNotesController.ShareFromPdsa", "leader@example.org", $"/districts/{d}/practice-notes/from-pdsa/{pdsa.Decided}", $"/districts/{d}/practice-notes/from-pdsa/{pdsa.Decided}", () =>
                Task.FromResult(F(("RowKey", "routines"), ("Text", "Change idea: a probe."), ("ContactRole", "Director"), ("IsAnonymous", "false")))),
            new("PracticeNotesController.Update", "leader@example.org", $"/districts/{d}/practice-notes/{note}/edit", $"/districts/{d}/practice-notes/{note}/edit", async () =>
                F(("Text", "A standing meeting helped."), ("ContactRole", "Director"), ("IsAnonymous", "true"),
                  ("Version", await VersionOf(db => db.PracticeNotes.Where(x => x.Id == note).Select(x => (Guid?)x.Version).FirstOrDefaultAsync())))),
            new("WorkshopsController.Start", "leader@example.org", $"{root}/workshops", $"{root}/workshops/new", () =>
                Task.FromResult(F(("Activity1", "true"), ("Activity2", "true"), ("Activity3", "false"), ("NewGroups", "Probe table " + Next()), ("Assignment", "RoundRobin")))),
            new("JoinController.Join", "", "/join", "/join", () => Task.FromResult(F(("Code", probeWorkshop.Code), ("Name", "Probe Participant")))),
            new("JoinController.PickGroup", $"participant:join:{probeWorkshop.Code}", "/join/workshop/group", "/join", () => Task.FromResult(F(("GroupId", pickGroup.ToString())))),
            new("JoinController.AddExample", "participant:Activity1", "/join/workshop/activity-1/example", "/join", () =>
                Task.FromResult(F(("ConsequenceKey", "incomplete-data"), ("Description", "Seen in our schools")))),
            new("JoinController.SaveReflection", "participant:Activity1", "/join/workshop/activity-1/reflection", "/join", () =>
                Task.FromResult(F(("OutcomeNumber", "2"), ("Why", "It fits")))),
            new("JoinController.Rate", "participant:Activity2", "/join/workshop/rows/policies", "/join", async () =>
                F(("Level", "2"), ("Evidence", "Policy text"), ("Version", await VersionOf(db => db.RubricRatings.Where(r => r.CycleId == c && r.RowKey == "policies"
                    && db.WorkshopParticipants.Any(p => p.DisplayName == "Probe at Activity2" && p.RatingGroupId == r.RatingGroupId)).Select(r => (Guid?)r.Version).FirstOrDefaultAsync())))),
            new("JoinController.SaveDiscussion", "participant:Activity3", $"/join/workshop/discussion/{question}", "/join", async () =>
                F(("Text", "Answer"), ("Version", await VersionOf(db => db.DiscussionNotes.Where(n => n.CycleId == c && n.QuestionKey == question).Select(n => (Guid?)n.Version).FirstOrDefaultAsync())))),
            new("DistrictSignInController.Save", "leader@example.org", $"/districts/{d}/sign-in-policy", $"/districts/{d}/sign-in-policy", async () =>
                F(("EmailDomains", "example.org, lakeshore.k12.mi.us"), ("Methods", "Password"),
                  ("Version", await VersionOf(db => db.Districts.Where(x => x.Id == d).Select(x => (Guid?)x.Version).FirstOrDefaultAsync())))),
            new("AccountController.SignIn", "", "/account/sign-in", "/account/sign-in", () =>
                Task.FromResult(F(("Email", "nobody@example.org"), ("Password", "Wrong-Pass-2026!"), ("RememberMe", "false"), ("ReturnUrl", "/")))),
        ];
    }

    [Fact]
    public void Every_post_action_is_probed_or_exempt_with_a_reason()
    {
        var actions = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttributes<HttpMethodAttribute>().Any(a => a.HttpMethods.Any(h => h != "GET")))
                .Select(m => $"{t.Name}.{m.Name}"))
            .Distinct().ToList();
        // The probe list is static in shape; its action names are checked here without a database.
        var probed = new[]
        {
            "RubricController.Save", "ConsensusController.RecordConsensus", "DiscussionController.Save", "RatingGroupsController.Create", "RatingGroupsController.Update",
            "ActionsController.Create", "ActionsController.Update", "Activity1Controller.AddExample", "Activity1Controller.SaveReflection",
            "BalanceTemplatesController.SaveDistrict", "BalanceTemplatesController.SaveBuilding", "BalanceReviewController.Comment", "BalanceReviewController.Submit", "BalanceReviewController.Return", "BalanceReviewController.Accept",
            "OrganisationController.CreateBuilding", "OrganisationController.UpdateBuilding", "DistrictsController.Edit", "DistrictsController.Create", "AccountController.SignIn",
            "OrganisationController.CreateInvitation", "OrganisationController.StartCycle", "OrganisationController.UpdateMember", "AdminController.InviteFacilitator",
            "NetworksController.Create", "NetworksController.Update", "NetworksController.AddDistrict", "PracticeNotesController.Create", "PracticeNotesController.Update", "PracticeNotesController.ShareFromPdsa",
            "WorkshopsController.Start", "JoinController.Join", "JoinController.PickGroup", "JoinController.AddExample", "JoinController.SaveReflection",
            "JoinController.Rate", "JoinController.SaveDiscussion",
            "DistrictSignInController.Save",
            "PlanController.AddGoal", "PlanController.AddStrategy", "PlanController.AddActivity", "PlanController.RecordCheckIn",
            "MonitoringController.RecordCheckIn", "MonitoringController.RecordValue",
            "PlanController.ChangeGoalState", "PlanController.EditActivity", "PlanController.FileActionItem",
            "PlanController.AddGoalMeasure", "PlanController.AddStrategyMeasure", "PlanController.AddActivityMeasure",
            "PlanController.AddInterimTarget", "PlanController.AddPhaseChange", "PlanController.RecordValue",
            "PlanController.EditGoal", "PlanController.EditStrategy", "PlanController.EditMeasure", "PlanController.CorrectValue",
            "PdsaController.Add", "PdsaController.EditPlan", "PdsaController.RecordDo", "PdsaController.RecordStudy", "PdsaController.RecordAct",
            "EvaluationController.Save", "EvaluationController.Carry", "WorkshopEvaluationController.Save",
            "BuildingReportsController.AddPeriod", "BuildingReportsController.EditPeriod", "BuildingReportsController.SetMeasures", "BuildingReportsController.Save",
            "BuildingReportsController.Submit", "BuildingReportsController.Return", "BuildingReportsController.Accept",
        };
        var missing = actions.Where(a => !probed.Contains(a) && !Exempt.ContainsKey(a)).ToList();
        Assert.True(missing.Count == 0, "POST actions without a bad-input probe: " + string.Join(", ", missing));
    }

    private async Task<string> RowCountsAsync() => await factory.WithDbAsync(async db =>
    {
        var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().OrderBy(t => t).ToList();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Join(" || ';' || ", tables.Select(t => $"'{t}=' || (SELECT COUNT(*) FROM \"{t}\")"));
        command.CommandText = "SELECT " + command.CommandText;
        return (string)(await command.ExecuteScalarAsync())!;
    });

    [GeneratedRegex("The request could not be understood|field-validation-error|validation-summary-errors|alert-danger|class=\"text-danger[^\"]*\"[^>]*>\\s*[^<\\s]")]
    private static partial Regex VisibleError();

    [Fact]
    public async Task Every_field_of_every_form_survives_hostile_values_without_5xx_partial_records_or_markup()
    {
        var probes = await ProbesAsync();
        var clients = new Dictionary<string, HttpClient>();
        var problems = new List<string>();
        int tried = 0, fields = 0, refused = 0, saved = 0;
        foreach (var probe in probes)
        {
            if (!clients.TryGetValue(probe.Actor, out var client))
                clients[probe.Actor] = client = probe.Actor switch
                {
                    "" => factory.CreateBrowserClient(),
                    _ when probe.Actor.StartsWith("participant:join:", StringComparison.Ordinal) =>
                        await WorkshopSessions.JoinAsync(factory, probe.Actor["participant:join:".Length..], "Probe Picker"),
                    _ when probe.Actor.StartsWith("participant:", StringComparison.Ordinal) =>
                        await WorkshopSessions.ParticipantAtStepAsync(factory, Enum.Parse<Domain.Workshops.WorkshopStep>(probe.Actor["participant:".Length..])),
                    _ => await factory.SignedInAsync(probe.Actor),
                };
            var token = await client.AntiforgeryTokenAsync(probe.FormPage);
            var fieldNames = (await probe.Baseline()).Select(f => f.Key).Distinct().ToList();
            foreach (var field in fieldNames)
            {
                fields++;
                foreach (var (name, value, second) in Hostile)
                {
                    tried++;
                    var form = (await probe.Baseline()).Where(f => f.Key != field).ToList();
                    if (value is not null) form.Add(KeyValuePair.Create(field, value));
                    if (second is not null) form.Add(KeyValuePair.Create(field, second));
                    form.Add(KeyValuePair.Create("__RequestVerificationToken", token));
                    var before = await RowCountsAsync();
                    using var response = await client.PostAsync(probe.Url, new FormUrlEncodedContent(form));
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    var where = $"{probe.Action} {field} = {name}: {status}";
                    if (status >= 500) { problems.Add($"{where} {body[..Math.Min(300, body.Length)]}"); continue; }
                    if (body.Contains(Script, StringComparison.Ordinal)) problems.Add($"{where} echoes markup unencoded");
                    if (status is 302 or 303) { saved++; continue; }
                    var after = await RowCountsAsync();
                    if (status == 200 && !VisibleError().IsMatch(body) && probe.Actor != "")
                    {
                        saved++; // a JSON or page answer to a saved form
                        continue;
                    }
                    refused++;
                    if (before != after) problems.Add($"{where} refused but the database changed: {before} → {after}");
                    if (status is 400 or 200 && !VisibleError().IsMatch(body)) problems.Add($"{where} refused without a visible message");
                    if (status is not (200 or 400 or 404 or 409 or 429)) problems.Add($"{where} unexpected status");
                }
            }
        }

        // What was saved shows as text on every page that shows it.
        var ids = await DemoIds.LoadAsync(factory);
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var leader = clients["leader@example.org"];
        var pages = new[]
        {
            root, $"{root}/plan", $"{root}/monitoring", $"{root}/rubric", $"{root}/rubric/compare", $"{root}/rubric/discussion", $"{root}/rubric/groups", $"{root}/actions", $"{root}/activity-1",
            $"{root}/balance", $"{root}/balance/district", $"{root}/balance/buildings/{ids.LakeshoreBuildings[1]}", $"{root}/balance/rollup",
            $"/districts/{ids.Lakeshore}/organisation", $"/districts/{ids.Lakeshore}/audit",
            $"{root}/reports", $"{root}/reports/periods/{await factory.WithDbAsync(db => db.MonitoringPeriods.Where(p => p.CycleId == ids.LakeshoreCycle).OrderBy(p => p.DueDate).Select(p => p.Id).FirstAsync())}/buildings/{ids.LakeshoreBuildings[1]}",
        };
        var encodedSeen = 0;
        foreach (var page in pages)
        {
            var html = await leader.GetHtmlAsync(page);
            if (html.Contains(Script, StringComparison.Ordinal)) problems.Add($"{page} shows stored markup unencoded");
            if (html.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", StringComparison.Ordinal)) encodedSeen++;
        }
        Assert.True(encodedSeen >= 3, $"the stored script text should show, encoded, on several pages (seen on {encodedSeen})");

        output.WriteLine($"FIGURE bad input: {Hostile.Length} hostile values × {fields} fields of {probes.Count} forms = {tried} posts; {refused} refused, {saved} saved safely; {pages.Length} pages checked for markup");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join("\n", problems.Select(p => p.Length > 160 ? p[..160] : p).Take(80)));
    }
}
