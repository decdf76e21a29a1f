using System.Text.Encodings.Web;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Organisation;
using MicipPlanner.Web.Features.Rubric;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

public sealed record RubricRowOption(string Key, int Number, string Label);

public sealed record LastCheckInView(DateOnly Date, TeamJudgment Judgment, string Note, string? EvidenceLink, string? By);

public sealed record ActivityView(int Id, string Title, string? OwnerUserId, string? OwnerName, DateOnly? StartDate, DateOnly? DueDate,
    DateOnly? DoneDate, bool AllBuildings, IReadOnlyList<string> BuildingNames, int? SourceActionItemId, ActivityStatus Status,
    LastCheckInView? LastCheckIn, Guid Version, IReadOnlyList<MeasureView> Measures, DateTimeOffset CreatedAt = default);

public sealed record StrategyView(int Id, string Title, IReadOnlyList<PlanSystems> Systems, string FundingSource, decimal? PlannedAmount,
    IReadOnlyList<ActivityView> Activities, IReadOnlyList<MeasureView> Measures, Guid Version);

public sealed record GoalView(int Id, string Statement, GoalState State, IReadOnlyList<RubricRowOption> Rows, IReadOnlyList<StrategyView> Strategies,
    Guid Version, IReadOnlyList<MeasureView> Measures, CarriedFromView? CarriedFrom = null);

/// <summary>The earlier year's goal a goal was carried from, by that year's evaluation.</summary>
public sealed record CarriedFromView(int CycleId, int StartYear, int GoalId)
{
    public string SchoolYear => Domain.Organisation.SchoolYears.Format(StartYear);
}

/// <param name="FromReport">The monitoring period whose accepted building report the value came from; null for a value entered on the plan.</param>
public sealed record MeasureValueView(int Id, DateOnly Date, decimal Value, int? BuildingId, string? Building, string Note, string? RecordedBy, Guid Version,
    string? FromReport = null)
{
    /// <summary>Where the value came from, as the chart's table says it: "from Harbor View's Winter report".</summary>
    public string? Source => FromReport is null ? null : $"from {Building ?? "the district"}'s {FromReport} report";
}

public sealed record MeasureChangeView(DateOnly Date, string Label);

/// <summary>
/// A run chart and what the rules found in it, for the district as a whole or for one building. It writes itself as a
/// figure (the chart, each finding in a sentence, and how to read the marks), as <see cref="RunChartSvg"/> does and for
/// the same reason: the meeting page draws one per measure on every read.
/// </summary>
public sealed record MeasureChartView(RunChartSvg Svg, RunChartAnalysis Analysis, IReadOnlyList<MeasurePoint> Points) : IHtmlContent
{
    // The markup as last written, with the encoder it was written with: a kept chart (KeptRunCharts) is written by many
    // reads, and the same encoder writes the same markup. One reference, so a reader never sees half of a pair.
    private sealed record Written(HtmlEncoder Encoder, string Markup);

    private Written? written;

    public IEnumerable<RunChartFinding> Findings => Analysis.Phases.SelectMany(p => p.Findings);

    public void WriteTo(TextWriter writer, HtmlEncoder encoder)
    {
        if (written is not { } last || !ReferenceEquals(last.Encoder, encoder))
        {
            using var markup = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            WriteFigure(markup, encoder);
            written = last = new Written(encoder, markup.ToString());
        }
        writer.Write(last.Markup);
    }

    private void WriteFigure(TextWriter writer, HtmlEncoder encoder)
    {
        writer.Write("<figure class=\"mb-2 measure-chart\">");
        Svg.WriteTo(writer, encoder);
        writer.Write("<figcaption class=\"small\"><ul class=\"mb-1 run-chart-findings\">");
        foreach (var finding in Findings)
        {
            writer.Write(finding.IsSignal ? "<li class=\"run-chart-signal-sentence fw-semibold\">Signal: " : "<li>");
            encoder.Encode(writer, finding.Sentence);
            writer.Write("</li>");
        }
        writer.Write("</ul>Dashed blue line: the median of each phase. Squares: points of a run long enough to signal. Diamonds: targets "
            + "(filled: the end target). Dotted line: the baseline.</figcaption></figure>");
    }
}

public sealed record BuildingChartView(string Building, MeasureChartView Chart);

/// <summary>A measure with everything its part of the page shows: targets, values, the run chart(s) and the target check.</summary>
public sealed record MeasureView(int Id, string Name, MeasureKind Kind, MeasureUnit Unit, BetterDirection Better, MeasurePoint? Baseline,
    MeasureTarget? EndTarget, string DataSource, IReadOnlyList<MeasureTarget> InterimTargets, IReadOnlyList<MeasureChangeView> Changes,
    IReadOnlyList<MeasureValueView> Values, MeasureChartView? Chart, IReadOnlyList<BuildingChartView> BuildingCharts, string TargetCheck,
    Guid Version, bool IsArchived);

public sealed record BuildingOption(int Id, string Name);

/// <summary>An action item of the cycle that no activity was filed from yet.</summary>
public sealed record UnfiledActionItem(int Id, string Title, string? OwnerName, DateOnly? DueDate, ActionStatus Status);

/// <summary>A next action written on a Maintaining Balance template of the cycle (the district's or a building's).</summary>
public sealed record TemplateNextAction(string Where, int RowNumber, BalanceFunction Function, string NextAction, string Owner, DateOnly? TargetDate);

/// <summary>The form that was posted and refused, and the record it was to go under, so the page shows it again there.</summary>
public sealed record PlanPosted(GoalForm? Goal = null, int? GoalId = null, StrategyForm? Strategy = null, int? StrategyId = null,
    ActivityForm? Activity = null, int? ActivityId = null, CheckInForm? CheckIn = null, GoalStateForm? GoalState = null,
    ActivityEditForm? ActivityEdit = null, FileActionItemForm? File = null, int? ActionItemId = null, MeasureForm? Measure = null,
    string? MeasureOwner = null, MeasureTargetForm? Target = null, MeasurePhaseForm? Phase = null, MeasureValueForm? Value = null,
    int? MeasureId = null, GoalEditForm? GoalEdit = null, StrategyEditForm? StrategyEdit = null, MeasureEditForm? MeasureEdit = null,
    MeasureValueEditForm? ValueEdit = null, int? ValueId = null, RemovalForm? Removal = null, string? RemovalOf = null)
{
    /// <summary>Whether the refused form was the removal of <paramref name="record"/> ("value-12", "measure-3", …).</summary>
    public bool IsRemovalOf(string record) => Removal is not null && RemovalOf == record;
}

public sealed record PlanPageModel(CycleContext Cycle, DateOnly Today, MonitoringWindows Windows, IReadOnlyList<GoalView> Goals,
    IReadOnlyList<RubricRowOption> RubricRows, IReadOnlyList<MemberOption> Team, bool CanBuild, PlanPosted Posted,
    IReadOnlyList<BuildingOption> Buildings, IReadOnlyList<UnfiledActionItem> UnfiledActionItems, IReadOnlyList<TemplateNextAction> NextActions)
{
    public IEnumerable<GoalView> OpenGoals => Goals.Where(g => g.State != GoalState.Archived);
    public IEnumerable<GoalView> ArchivedGoals => Goals.Where(g => g.State == GoalState.Archived);
}

/// <summary>Reads the cycle's plan for its page: goals → strategies → activities, each activity with its derived state.</summary>
public static class PlanPage
{
    /// <param name="forMeeting">
    /// Read for the monitoring meeting, which shows the plan but not the material for building it (action items not yet
    /// filed, template next actions, the team for owners) nor the measures' per-building charts: those are left out.
    /// </param>
    /// <param name="keptCharts">
    /// The meeting page's district-wide charts kept between reads. With them the measures' values are not listed
    /// (<see cref="MeasureView.Values"/> is empty; the meeting reads its news itself), and what the charts are drawn from
    /// is read only when one of them changed.
    /// </param>
    public static async Task<PlanPageModel> BuildAsync(AppDbContext db, CycleContext cycle, IReadOnlyList<RubricRowOption> rubricRows,
        TimeProvider clock, PlanPosted? posted = null, bool forMeeting = false, KeptRunCharts? keptCharts = null)
    {
        var today = DistrictCalendar.Today(clock, cycle.District.TimeZoneId);
        var windows = cycle.District.Windows;
        var (districtId, cycleId) = (cycle.DistrictId, cycle.CycleId);
        var goals = await PlanReads.Goals(db, cycleId, districtId).ToListAsync();
        var strategies = await PlanReads.Strategies(db, cycleId, districtId).ToListAsync();
        var activities = await PlanReads.Activities(db, cycleId, districtId).ToListAsync();
        var lastCheckIns = await PlanReads.LastCheckIns(db, cycleId, districtId).ToDictionaryAsync(c => c.ActivityId);
        var buildings = await PlanReads.Buildings(db, districtId).ToListAsync();
        var buildingNames = buildings.ToDictionary(b => b.Id, b => b.Name);
        var involved = (await PlanReads.InvolvedBuildings(db, cycleId, districtId).ToListAsync())
            .ToLookup(x => x.ActivityId, x => buildingNames.GetValueOrDefault(x.BuildingId, ""));
        // Action items not yet in the plan: the raw material the team files under strategies. One whose filing was just
        // refused stays listed (though filed meanwhile) so the refusal shows next to its form.
        var refusedItem = posted?.File is not null ? posted.ActionItemId : null;
        var unfiled = forMeeting ? [] : await db.ActionItems.AsNoTracking()
            .Where(i => i.CycleId == cycle.CycleId && i.DistrictId == cycle.DistrictId
                && (!db.PlanActivities.Any(a => a.SourceActionItemId == i.Id) || i.Id == refusedItem))
            .OrderBy(i => i.Status == ActionStatus.Done).ThenBy(i => i.DueDate == null).ThenBy(i => i.DueDate).ThenBy(i => i.Id)
            .Select(i => new UnfiledActionItem(i.Id, i.Title, db.Users.NameOf(i.OwnerUserId),
                i.DueDate, i.Status)).ToListAsync();
        var nextActions = forMeeting ? [] : (await (from item in db.BalanceTemplateItems.AsNoTracking()
                                                    join template in db.BalanceTemplates on item.TemplateId equals template.Id
                                                    where template.CycleId == cycle.CycleId && template.DistrictId == cycle.DistrictId && item.NextAction != ""
                                                    select new { template.BuildingId, item.RowNumber, item.Function, item.NextAction, item.Owner, item.TargetDate })
                .ToListAsync())
            .Select(n => new TemplateNextAction(n.BuildingId is { } b ? buildingNames.GetValueOrDefault(b, "A building") : "District",
                n.RowNumber, n.Function, n.NextAction, n.Owner, n.TargetDate))
            .OrderBy(n => n.Where == "District" ? 0 : 1).ThenBy(n => n.Where).ThenBy(n => n.RowNumber).ThenBy(n => n.Function).ToList();

        var measures = await MeasuresAsync(db, cycle, today, buildingNames, withBuildingCharts: !forMeeting, keptCharts);
        var rowsByKey = rubricRows.ToDictionary(r => r.Key);
        var activityViews = activities.Select(a =>
        {
            var last = lastCheckIns.GetValueOrDefault(a.Id);
            var status = ActivityStatusRules.Evaluate(new ActivityDates(a.StartDate, a.DueDate, a.DoneDate),
                last is null ? null : new LastCheckIn(last.Date, last.Judgment), today, windows);
            return (a.StrategyId, View: new ActivityView(a.Id, a.Title, a.OwnerUserId, a.Owner, a.StartDate, a.DueDate, a.DoneDate, a.AllBuildings,
                involved[a.Id].Order().ToList(), a.SourceActionItemId, status,
                last is null ? null : new LastCheckInView(last.Date, last.Judgment, last.Note, last.EvidenceLink, last.By), a.Version,
                measures[(MeasureOwnerKind.Activity, a.Id)].ToList(), a.CreatedAt));
        }).ToLookup(a => a.StrategyId, a => a.View);
        var strategyViews = strategies.ToLookup(s => s.GoalId, s => new StrategyView(s.Id, s.Title, PlanRules.Each(s.Systems), s.FundingSource,
            s.PlannedAmount, activityViews[s.Id].ToList(), measures[(MeasureOwnerKind.Strategy, s.Id)].ToList(), s.Version));
        var goalViews = goals.Select(g => new GoalView(g.Id, g.Statement, g.State,
            PlanRules.RowKeys(g.RubricRowKeys).Where(rowsByKey.ContainsKey).Select(k => rowsByKey[k]).ToList(),
            strategyViews[g.Id].ToList(), g.Version, measures[(MeasureOwnerKind.Goal, g.Id)].ToList(),
            g is { CarriedFromGoalId: { } from, CarriedFromCycleId: { } fromCycle, CarriedFromStartYear: { } fromYear } ? new CarriedFromView(fromCycle, fromYear, from) : null))
            .ToList();

        var canBuild = cycle.Permissions.CanBuildPlan;
        var team = canBuild && !forMeeting ? await TeamDirectory.DistrictTeamAsync(db, cycle.DistrictId) : [];
        return new PlanPageModel(cycle, today, windows, goalViews, rubricRows, team, canBuild, posted ?? new PlanPosted(),
            buildings, unfiled, nextActions);
    }

    /// <summary>
    /// The cycle's measures with their targets, changes and values: four queries however many measures there are (one
    /// when every chart is kept). Each measure is keyed by the record it belongs to.
    /// </summary>
    private static async Task<ILookup<(MeasureOwnerKind, int), MeasureView>> MeasuresAsync(AppDbContext db, CycleContext cycle, DateOnly today,
        Dictionary<int, string> buildingNames, bool withBuildingCharts, KeptRunCharts? keptCharts)
    {
        // Read before what the charts are drawn from, so a chart laid out below is never older than the number it is kept under.
        var rows = await PlanReads.Measures(db, cycle.CycleId, cycle.DistrictId).ToListAsync();
        if (rows.Count == 0) return Array.Empty<MeasureView>().ToLookup(_ => (MeasureOwnerKind.Goal, 0));
        if (keptCharts is not null)
        {
            var kept = rows.Select(r => keptCharts.Find(r.Measure.Id, r.Measure.Version, r.ChartVersion)).ToList();
            if (kept.TrueForAll(k => k is not null))
                return rows.Zip(kept, (r, k) => (Owner: OwnerOf(r.Measure), View: ViewOf(r.Measure, k!, [], [], today))).ToLookup(x => x.Owner, x => x.View);
        }
        var measures = rows.Select(r => r.Measure).ToList();
        var targets = (await PlanReads.Targets(db, cycle.CycleId, cycle.DistrictId).ToListAsync())
            .OrderBy(t => t.Date).ThenBy(t => t.Id).ToLookup(t => t.MeasureId, t => new MeasureTarget(t.Date, t.Value));
        var changes = (await PlanReads.Phases(db, cycle.CycleId, cycle.DistrictId).ToListAsync())
            .OrderBy(p => p.Date).ToLookup(p => p.MeasureId, p => new MeasureChangeView(p.Date, p.Label));
        // Values in date order, then entry order: of two values on one day the later entry is the latest.
        var values = (await PlanReads.Values(db, cycle.CycleId, cycle.DistrictId, DateOnly.MinValue).ToListAsync())
            .OrderBy(v => v.Date).ThenBy(v => v.Id).ToLookup(v => v.MeasureId);
        // A measure carried from an earlier year continues its line's history: the earlier district-wide values come first
        // on its run chart (read only: they are corrected in their own year's plan).
        var earlier = measures.Any(m => m.HistoryMeasureId is not null)
            ? (await PlanReads.EarlierValues(db, cycle.CycleId, cycle.DistrictId, cycle.StartYear).ToListAsync()).OrderBy(v => v.Date).ThenBy(v => v.Id)
                .ToLookup(v => v.HistoryKey, v => new MeasurePoint(v.Date, v.Value))
            : Array.Empty<PlanReads.EarlierValueRow>().ToLookup(v => v.HistoryKey, v => new MeasurePoint(v.Date, v.Value));

        return rows.Select(row =>
        {
            var m = row.Measure;
            var own = values[m.Id].ToList();
            var changeList = changes[m.Id].ToList();
            var interim = targets[m.Id].ToList();
            var baseline = BaselineOf(m);
            var changeDates = changeList.Select(c => c.Date).ToList();
            var changeMarks = changeList.Select(c => (c.Date, c.Label)).ToList();

            MeasureChartView? Chart(IReadOnlyList<MeasurePoint> points, string title, string id, bool small)
            {
                if (points.Count == 0) return null;
                var analysis = RunChart.Analyze(points, m.Better, changeDates);
                return new MeasureChartView(new RunChartSvg(title, id, points, analysis, m.Unit, baseline, interim, m.EndTarget, changeMarks, small),
                    analysis, points);
            }

            var districtPoints = own.Where(v => v.BuildingId is null).Select(v => new MeasurePoint(v.Date, v.Value)).ToList();
            // In date order, the earlier years first on a shared date (a stable sort keeps each list's own order).
            var history = m.HistoryMeasureId is null ? districtPoints : earlier[m.HistoryKey].Concat(districtPoints).OrderBy(p => p.Date).ToList();
            var chart = Chart(history, $"Run chart of {m.Name}, district-wide values", $"measure-{m.Id}-chart", small: false);
            var buildingCharts = !withBuildingCharts ? [] : own.Where(v => v.BuildingId is not null).GroupBy(v => (v.BuildingId, Building: buildingNames.GetValueOrDefault(v.BuildingId!.Value)))
                .OrderBy(g => g.Key.Building, StringComparer.CurrentCulture)
                .Select(g => new BuildingChartView(g.Key.Building ?? "", Chart(g.Select(v => new MeasurePoint(v.Date, v.Value)).ToList(),
                    $"Run chart of {m.Name} at {g.Key.Building}", $"measure-{m.Id}-building-{g.Key.BuildingId}", small: true)!))
                .ToList();
            var drawn = new KeptRunChart(m.Version, row.ChartVersion, chart, interim, changeList, districtPoints, own.Any(v => v.BuildingId is not null));
            keptCharts?.Keep(m.Id, drawn);
            var valueViews = keptCharts is null ? own.Select(v => ValueViewOf(v, buildingNames)).ToList() : [];
            return (Owner: OwnerOf(m), View: ViewOf(m, drawn, valueViews, buildingCharts, today));
        }).ToLookup(x => x.Owner, x => x.View);
    }

    private static (MeasureOwnerKind, int) OwnerOf(PlanMeasure m) =>
        m.GoalId is { } goalId ? (MeasureOwnerKind.Goal, goalId)
        : m.StrategyId is { } strategyId ? (MeasureOwnerKind.Strategy, strategyId)
        : (MeasureOwnerKind.Activity, m.ActivityId ?? 0);

    private static MeasurePoint? BaselineOf(PlanMeasure m) => m.BaselineValue is { } bv && m.BaselineDate is { } bd ? new MeasurePoint(bd, bv) : null;

    /// <summary>A measure's view from its record and its district-wide chart (laid out now or kept); the target check is of today.</summary>
    private static MeasureView ViewOf(PlanMeasure m, KeptRunChart drawn, IReadOnlyList<MeasureValueView> values, IReadOnlyList<BuildingChartView> buildingCharts,
        DateOnly today)
    {
        var check = MeasureTargets.Check(m.Better, drawn.InterimTargets, m.EndTarget, drawn.DistrictPoints, today);
        return new MeasureView(m.Id, m.Name, m.Kind, m.Unit, m.Better, BaselineOf(m), m.EndTarget, m.DataSource, drawn.InterimTargets, drawn.Changes,
            values, drawn.Chart, buildingCharts, MeasureTargetSentence.Of(check, m.Unit, m.Better, drawn.HasBuildingValues), m.Version, m.ArchivedAt is not null);
    }

    /// <summary>A value as the pages list it, its building named from the district's buildings.</summary>
    public static MeasureValueView ValueViewOf(PlanReads.ValueRow v, IReadOnlyDictionary<int, string> buildingNames) =>
        new(v.Id, v.Date, v.Value, v.BuildingId, v.BuildingId is { } id ? buildingNames.GetValueOrDefault(id) : null, v.Note, v.By, v.Version, v.FromReport);
}

/// <summary>What the measures partial needs: the page, and the record whose measures it shows.</summary>
public sealed record MeasuresBlock(PlanPageModel Page, MeasureOwner Owner, IReadOnlyList<MeasureView> Measures);

/// <summary>
/// What the removal partial needs: the page's refused form, the record ("value-12"; the refused form opens again under it),
/// where it posts, the version shown, and its words.
/// </summary>
public sealed record RemovalFormModel(PlanPosted Posted, string Record, string Action, Guid Version, string Summary, string Explanation,
    string ConfirmLabel, string Button);

/// <summary>The fields of a measure's value, named <paramref name="Prefix"/>-date, -value, -building and -note.</summary>
public sealed record ValueFieldsModel(string Prefix, MeasureValueForm Form, bool IsPosted, MeasureUnit? Unit, IReadOnlyList<BuildingOption> Buildings,
    DateOnly Today);

/// <summary>One value's correction and removal forms, with the refused form (if any) shown again.</summary>
public sealed record ValueCorrectionModel(CycleContext Cycle, string MeasureName, MeasureUnit Unit, MeasureValueView Value,
    IReadOnlyList<BuildingOption> Buildings, DateOnly Today, PlanPosted Posted, bool OpenCorrection = false);

/// <summary>The page of one value's correction, with the measure it goes back to.</summary>
public sealed record ValueCorrectionPage(ValueCorrectionModel Correction, int MeasureId);
