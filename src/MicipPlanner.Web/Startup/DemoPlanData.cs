using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// Lakeshore's living plan for the current cycle, so a new user sees the plan through the year at once: two goals from
/// its rubric work, three strategies, eight activities dated so that every derived state shows today (not started, on
/// target, approaching, overdue, done, one gone stale), the check-ins behind the team's judgments, and three measures
/// with monthly values, one of which shows a shift; and two decided PDSA cycles, one adopted and one abandoned. Last
/// year's plan is there too, with the year-end evaluation that seeded this one: its routines goal maintained and its vision
/// goal revised (both carried into this year, the meetings measure continuing its run chart), a newsletter goal discontinued.
/// </summary>
internal static class DemoPlanData
{
    public static async Task SeedAsync(AppDbContext db, District district, int cycleId, int lastCycleId, ToolkitDefinition toolkit,
        string leaderId, string memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DistrictCalendar.Today(now, district.TimeZoneId);
        var rows = toolkit.Rubric.Rows;
        // Last year's values of the meetings measure end before this year's first (ten months back), so its chart reads on.
        var last = await SeedLastYearAsync(db, district, lastCycleId, rows, leaderId, memberId, now,
            new DateOnly(today.Year, today.Month, 1).AddMonths(-9), cancellationToken);

        var routines = Goal(1, "By June, every building team meets monthly with an agenda, rotating roles and minutes shared "
            + "with the district CI team, as shown by meeting records (baseline: 1 of 4 buildings).", rows[2].Key);
        routines.CarriedFromGoalId = last.Routines;
        var vision = Goal(2, "By May, 80% of staff can explain how the district's vision shapes their building's goals, "
            + "as measured by the spring staff survey (baseline: 31%).", rows[0].Key, rows[1].Key);
        vision.CarriedFromGoalId = last.Vision;
        db.PlanGoals.AddRange(routines, vision);
        await db.SaveChangesAsync(cancellationToken);

        var meetings = Strategy(routines, "Standing monthly CI meetings in every building",
            PlanSystems.Leadership | PlanSystems.Communication, "General fund", 4000m);
        var coaching = Strategy(routines, "Coach building facilitators in running data conversations",
            PlanSystems.Data | PlanSystems.HumanResources, "Title II, Part A", 12500m);
        var message = Strategy(vision, "Carry the vision into every building's decisions",
            PlanSystems.Communication | PlanSystems.Leadership, "", null);
        db.PlanStrategies.AddRange(meetings, coaching, message);
        await db.SaveChangesAsync(cancellationToken);

        var calendar = Activity(meetings, "Publish the year's meeting calendar for all four buildings", leaderId, -60, -30, done: -32);
        var agenda = Activity(meetings, "Adopt one agenda and minutes template", memberId, -40, 10);
        var roles = Activity(meetings, "Rotate facilitator, recorder and timekeeper roles", leaderId, -20, 90);
        var training = Activity(coaching, "Two half-day sessions on data conversations for facilitators", memberId, -50, -5);
        var walkthroughs = Activity(coaching, "Coach observes one meeting per building and gives feedback", leaderId, -45, 120);
        var protocol = Activity(coaching, "Pilot a data-conversation protocol at Harbor View", memberId, 20, 75);
        var survey = Activity(message, "Add vision questions to the spring staff survey", leaderId, -10, 5);
        var principals = Activity(message, "Principals open each staff meeting with the vision and one decision it shaped", memberId, -30, 150);
        db.PlanActivities.AddRange(calendar, agenda, roles, training, walkthroughs, protocol, survey, principals);
        await db.SaveChangesAsync(cancellationToken);

        db.PlanCheckIns.AddRange(
            CheckIn(calendar, -33, TeamJudgment.OnTrack, "Calendar sent to all principals; two buildings moved their dates.", leaderId),
            CheckIn(agenda, -20, TeamJudgment.OnTrack, "Draft template shared; Dune Ridge tried it first.", memberId),
            CheckIn(agenda, -3, TeamJudgment.AtRisk, "Middle school wants a shorter version; decision at the next meeting.", leaderId),
            CheckIn(training, -25, TeamJudgment.OnTrack, "First session held with 11 of 12 facilitators.", memberId),
            CheckIn(training, -6, TeamJudgment.OffTrack, "Second session cancelled for a snow day; no new date yet.", memberId),
            // The last look at the walkthroughs was six weeks ago: the plan flags it as gone without a check-in.
            CheckIn(walkthroughs, -42, TeamJudgment.OnTrack, "Schedule agreed with all four principals.", leaderId),
            CheckIn(roles, -7, TeamJudgment.OnTrack, "Roles posted on every agenda since November.", leaderId),
            CheckIn(principals, -14, TeamJudgment.OnTrack, "Three of four principals started; the high school begins in January.", memberId));
        await db.SaveChangesAsync(cancellationToken);

        // Three measures with monthly values. The survey measure moved after the principals began opening staff meetings
        // with the vision: six months below the median, six above (one crossing where chance gives at least three).
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var buildingsMeeting = Measure(routines.Id, null, "Buildings meeting monthly with agenda and minutes", MeasureKind.Process, MeasureUnit.Count,
            1, 4, "CI meeting minutes on the shared drive");
        buildingsMeeting.HistoryMeasureId = last.MeetingsMeasure; // carried: its run chart goes on from last year's values
        var staffExplain = Measure(vision.Id, null, "Staff who can explain how the vision shapes their building's goals", MeasureKind.Outcome,
            MeasureUnit.Percent, 31, 80, "Monthly pulse survey, five staff per building");
        var minutesShared = Measure(null, meetings.Id, "Building meetings whose minutes reached the district team within a week",
            MeasureKind.Process, MeasureUnit.Percent, 40, 90, "District CI team inbox");
        db.PlanMeasures.AddRange(buildingsMeeting, staffExplain, minutesShared);
        await db.SaveChangesAsync(cancellationToken);
        db.PlanMeasureTargets.AddRange(
            Target(staffExplain, monthStart.AddMonths(-2), 45), Target(staffExplain, monthStart.AddMonths(3), 60),
            Target(minutesShared, monthStart.AddMonths(-1), 60));
        Values(buildingsMeeting, [1, 1, 2, 1, 2, 2, 2, 3, 3, 3]);
        Values(staffExplain, [28, 30, 27, 29, 31, 28, 36, 38, 37, 40, 41, 43]);
        Values(minutesShared, [40, 45, 50, 48, 55, 52, 60, 58]);
        await db.SaveChangesAsync(cancellationToken);

        // Two PDSA cycles, both decided: the vision opener the principals adopted (the survey measure's shift followed it),
        // and a paper minutes form the team abandoned.
        var opener = new PdsaCycle
        {
            DistrictId = district.Id, CycleId = cycleId, ActivityId = principals.Id, Stage = PdsaStage.Act,
            ChangeIdea = "Open one staff meeting with a two-minute story of a decision the vision shaped",
            Question = "Will staff name the vision's link to their building's goals the week after?",
            Prediction = "At least half of the five staff asked at Harbor View will name the link, against about a third before.",
            Who = "Harbor View principal", Where = "Harbor View Elementary staff meeting",
            StartDate = monthStart.AddMonths(-6), EndDate = monthStart.AddMonths(-5).AddDays(-1),
            WhatHappened = "The principal told the story of moving the reading block; staff asked questions for ten minutes.",
            Problems = "The meeting ran over by five minutes.", Observations = "Two teachers repeated the story at their team meeting.",
            Result = "Three of five named the link the week after; the monthly survey rose above its median the month after.",
            PredictionOutcome = PredictionOutcome.Held, Decision = PdsaDecision.Adopt,
            DecisionNote = "All four principals open their staff meetings this way from next month.",
            CreatedByUserId = memberId, CreatedAt = now.AddDays(-190),
        };
        var paperForm = new PdsaCycle
        {
            DistrictId = district.Id, CycleId = cycleId, ActivityId = agenda.Id, Stage = PdsaStage.Act,
            ChangeIdea = "A one-page paper minutes form handed out at the meeting",
            Question = "Will minutes reach the district team within a week when the recorder fills a paper form?",
            Prediction = "Both pilot buildings send their minutes within a week.",
            Who = "Recorders at Dune Ridge and the middle school", Where = "Two building CI meetings",
            StartDate = monthStart.AddMonths(-3), EndDate = monthStart.AddMonths(-2).AddDays(-1),
            WhatHappened = "Both recorders used the form; one scanned it, one typed it again.",
            Problems = "Typing the form again took the recorder an hour.", Observations = "Handwriting was hard to read in the scan.",
            Result = "One of two minutes arrived within a week; the share of minutes on time did not move.",
            PredictionOutcome = PredictionOutcome.DidNotHold, Decision = PdsaDecision.Abandon,
            DecisionNote = "Paper adds a step; the shared online template is the better change to test.",
            CreatedByUserId = leaderId, CreatedAt = now.AddDays(-100),
        };
        db.PdsaCycles.AddRange(opener, paperForm);
        await db.SaveChangesAsync(cancellationToken);
        db.PdsaMeasureLinks.AddRange(
            new PdsaMeasureLink { DistrictId = district.Id, PdsaCycleId = opener.Id, MeasureId = staffExplain.Id },
            new PdsaMeasureLink { DistrictId = district.Id, PdsaCycleId = paperForm.Id, MeasureId = minutesShared.Id });
        await db.SaveChangesAsync(cancellationToken);

        PlanMeasure Measure(int? goalId, int? strategyId, string name, MeasureKind kind, MeasureUnit unit, decimal baseline, decimal endTarget,
            string source) => new()
            {
                DistrictId = district.Id, CycleId = cycleId, GoalId = goalId, StrategyId = strategyId, Name = name, Kind = kind, Unit = unit,
                Better = BetterDirection.Higher, BaselineValue = baseline, BaselineDate = today.AddMonths(-13), EndTargetValue = endTarget,
                EndTargetDate = new DateOnly(today.Month >= 7 ? today.Year + 1 : today.Year, 6, 1), DataSource = source,
                CreatedByUserId = leaderId, CreatedAt = now.AddDays(-70),
            };

        PlanMeasureTarget Target(PlanMeasure measure, DateOnly date, decimal value) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, MeasureId = measure.Id, Date = date, Value = value, CreatedByUserId = leaderId, CreatedAt = now.AddDays(-70),
        };

        // Monthly values, the last one this month (on its first day, never after today).
        void Values(PlanMeasure measure, decimal[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var date = monthStart.AddMonths(i - values.Length + 1);
                db.PlanMeasureValues.Add(new PlanMeasureValue
                {
                    DistrictId = district.Id, CycleId = cycleId, MeasureId = measure.Id, Date = date, Value = values[i],
                    RecordedByUserId = i % 2 == 0 ? memberId : leaderId, RecordedAt = now.AddDays(-(values.Length - i - 1) * 30),
                });
            }
        }

        PlanGoal Goal(int order, string statement, params string[] rowKeys) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, Statement = statement, State = GoalState.Active,
            RubricRowKeys = PlanRules.FormatRowKeys(rowKeys), SortOrder = order, CreatedByUserId = leaderId, CreatedAt = now.AddDays(-70),
        };

        PlanStrategy Strategy(PlanGoal goal, string title, PlanSystems systems, string funding, decimal? amount) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, GoalId = goal.Id, Title = title, Systems = systems,
            FundingSource = funding, PlannedAmount = amount, CreatedByUserId = leaderId, CreatedAt = now.AddDays(-68),
        };

        PlanActivity Activity(PlanStrategy strategy, string title, string ownerId, int startIn, int dueIn, int? done = null) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, StrategyId = strategy.Id, Title = title, OwnerUserId = ownerId,
            StartDate = today.AddDays(startIn), DueDate = today.AddDays(dueIn), DoneDate = done is { } d ? today.AddDays(d) : null,
            CreatedByUserId = leaderId, CreatedAt = now.AddDays(-65),
        };

        PlanCheckIn CheckIn(PlanActivity activity, int daysAgo, TeamJudgment judgment, string note, string byUserId) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, ActivityId = activity.Id, Date = today.AddDays(daysAgo),
            Judgment = judgment, Note = note, ByUserId = byUserId, CreatedAt = now.AddDays(daysAgo),
        };
    }

    private sealed record LastYear(int Routines, int Vision, int MeetingsMeasure);

    /// <summary>
    /// Last year's plan as the year-end evaluation left it: three goals with a strategy and activities each, a measure of
    /// meetings with last year's monthly values, and the team's evaluation of each goal with its decision.
    /// </summary>
    private static async Task<LastYear> SeedLastYearAsync(AppDbContext db, District district, int cycleId, IReadOnlyList<RubricRow> rows,
        string leaderId, string memberId, DateTimeOffset now, DateOnly valuesBefore, CancellationToken cancellationToken)
    {
        var startYear = await db.Cycles.Where(c => c.Id == cycleId).Select(c => c.StartYear).SingleAsync(cancellationToken);
        var september = new DateOnly(startYear, 9, 1);
        var created = new DateTimeOffset(startYear, 9, 1, 12, 0, 0, TimeSpan.Zero);
        PlanGoal Goal(int order, string statement, string rowKey) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, Statement = statement, State = GoalState.Active, RubricRowKeys = rowKey, SortOrder = order,
            CreatedByUserId = leaderId, CreatedAt = created,
        };
        var routines = Goal(1, "By June, building teams hold CI meetings at least every other month with an agenda (baseline: none).", rows[2].Key);
        var vision = Goal(2, "By May, half of the staff can name the district's vision (baseline: about a quarter).", rows[0].Key);
        var newsletter = Goal(3, "Every building publishes a quarterly data newsletter for families.", rows[3].Key);
        db.PlanGoals.AddRange(routines, vision, newsletter);
        await db.SaveChangesAsync(cancellationToken);

        PlanStrategy Strategy(PlanGoal goal, string title, string funding, decimal? amount) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, GoalId = goal.Id, Title = title, Systems = PlanSystems.Leadership, FundingSource = funding,
            PlannedAmount = amount, CreatedByUserId = leaderId, CreatedAt = created,
        };
        var meetings = Strategy(routines, "A CI meeting routine in every building", "General fund", 3000m);
        var messages = Strategy(vision, "Talk about the vision at every staff meeting", "", null);
        var letters = Strategy(newsletter, "A newsletter template and a data page per building", "Title I", 2000m);
        db.PlanStrategies.AddRange(meetings, messages, letters);
        await db.SaveChangesAsync(cancellationToken);

        PlanActivity Activity(PlanStrategy strategy, string title, string ownerId, int dueMonth, int? doneMonth, int doneDay = 0) => new()
        {
            DistrictId = district.Id, CycleId = cycleId, StrategyId = strategy.Id, Title = title, OwnerUserId = ownerId,
            StartDate = september, DueDate = september.AddMonths(dueMonth), DoneDate = doneMonth is { } m ? september.AddMonths(m).AddDays(doneDay) : null,
            CreatedByUserId = leaderId, CreatedAt = created,
        };
        db.PlanActivities.AddRange(
            Activity(meetings, "Name a CI facilitator in every building", leaderId, 1, 1, -3),
            Activity(meetings, "Share an agenda template with the building facilitators", memberId, 3, 4, 10),
            Activity(meetings, "Train recorders to share minutes with the district team", memberId, 7, null),
            Activity(messages, "Post the vision in every staff room", leaderId, 1, 1),
            Activity(messages, "Principals explain the vision at the first staff meeting of each term", memberId, 5, null),
            Activity(letters, "Draft the newsletter template", leaderId, 2, 3),
            Activity(letters, "Each building sends two newsletters", memberId, 8, null));
        var measure = new PlanMeasure
        {
            DistrictId = district.Id, CycleId = cycleId, GoalId = routines.Id, Name = "Buildings meeting monthly with agenda and minutes", Kind = MeasureKind.Process,
            Unit = MeasureUnit.Count, Better = BetterDirection.Higher, BaselineValue = 0, BaselineDate = september, EndTargetValue = 2,
            EndTargetDate = september.AddMonths(9), DataSource = "CI meeting minutes on the shared drive", CreatedByUserId = leaderId, CreatedAt = created,
        };
        db.PlanMeasures.Add(measure);
        await db.SaveChangesAsync(cancellationToken);
        decimal[] values = [0, 0, 1, 0, 1, 1, 1, 2, 1];
        for (var i = 0; i < values.Length && september.AddMonths(i) < valuesBefore; i++)
            db.PlanMeasureValues.Add(new PlanMeasureValue
            {
                DistrictId = district.Id, CycleId = cycleId, MeasureId = measure.Id, Date = september.AddMonths(i), Value = values[i],
                RecordedByUserId = leaderId, RecordedAt = created.AddMonths(i),
            });

        GoalEvaluation Evaluation(PlanGoal goal, string readiness, string fidelity, string reach, string impact, decimal used, EvaluationDecision decision,
            string rationale) => new()
            {
                DistrictId = district.Id, CycleId = cycleId, GoalId = goal.Id, Readiness = readiness, Fidelity = fidelity, ScaleAndReach = reach, Impact = impact,
                AmountUsed = used, Decision = decision, Rationale = rationale, UpdatedByUserId = leaderId, UpdatedAt = new DateTimeOffset(startYear + 1, 6, 20, 15, 0, 0, TimeSpan.Zero),
            };
        db.GoalEvaluations.AddRange(
            Evaluation(routines, "2 people were named as owners of its activities; both recorded check-ins. $3,000 was planned (from General fund); $2,400 was used.",
                "Of 3 activities, 1 done on time, 1 done late and 1 not done: recorders were never trained.",
                "All 4 buildings were involved; 2 ran meetings with an agenda by spring.",
                "Buildings meeting monthly: end target 2 met in April, not held in May; too few values for the run chart rules. Collaborative routines: level 1 last year, 1 this year.",
                2400m, EvaluationDecision.Maintain, "The routine is starting to hold; keep the goal and aim for every building monthly."),
            Evaluation(vision, "2 people were named as owners; no money was planned.", "Of 2 activities, 1 done on time and 1 not done.",
                "Posters went up in all 4 buildings; only one principal explained the vision each term.",
                "No measure: the team could not say whether staff can name the vision. Vision and mission: level 1 last year, 1 this year.",
                0m, EvaluationDecision.Revise, "Keep the aim but measure it: ask staff monthly and have every principal tie the vision to one decision."),
            Evaluation(newsletter, "2 people were named as owners. $2,000 was planned (from Title I); $300 was used.",
                "Of 2 activities, 1 done late and 1 not done.", "One building sent one newsletter.",
                "No measure. Families' feedback was not collected.",
                300m, EvaluationDecision.Discontinue, "Strategic abandonment: the buildings' capacity goes to the meeting routine first."));
        await db.SaveChangesAsync(cancellationToken);
        return new LastYear(routines.Id, vision.Id, measure.Id);
    }
}
