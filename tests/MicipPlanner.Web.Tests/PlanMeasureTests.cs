using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>The plan's measures through their own forms: values over time, targets, phases, run charts and their signals.</summary>
public sealed class PlanMeasureTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Place(DemoIds Ids, int CycleId, DateOnly Today, int GoalId, int StrategyId, int ActivityId)
    {
        public string Plan => $"/districts/{Ids.Lakeshore}/cycles/{CycleId}/plan";
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    /// <summary>A cycle of Lakeshore of its own with a goal → strategy → activity, and today in the district's calendar.</summary>
    private async Task<Place> NewPlanAsync()
    {
        var (ids, cycleId, today) = await FreshCycle.NewAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var goal = new PlanGoal { DistrictId = ids.Lakeshore, CycleId = cycleId, Statement = "By June, 80% of third graders read at grade level." };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Title = "Literacy coaching" };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new PlanActivity { DistrictId = ids.Lakeshore, CycleId = cycleId, StrategyId = strategy.Id, Title = "Coach visits" };
            db.PlanActivities.Add(activity);
            await db.SaveChangesAsync();
            return new Place(ids, cycleId, today, goal.Id, strategy.Id, activity.Id);
        });
    }

    /// <summary>Adds a measure through the form under the goal, strategy or activity at <paramref name="ownerPath"/> (e.g. "goals/5").</summary>
    private async Task<int> AddMeasureAsync(HttpClient client, Place place, string ownerPath, Dictionary<string, string> fields)
    {
        var response = await client.PostFormAsync($"{place.Plan}/{ownerPath}/measures", fields, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await factory.WithDbAsync(db => db.PlanMeasures.Where(m => m.CycleId == place.CycleId).MaxAsync(m => m.Id));
    }

    private static Dictionary<string, string> Percent(string name, string better = "Higher") => new()
    {
        ["Name"] = name, ["Kind"] = nameof(MeasureKind.Outcome), ["Unit"] = nameof(MeasureUnit.Percent), ["Better"] = better,
    };

    private static async Task RecordAsync(HttpClient client, Place place, int measureId, DateOnly date, decimal value, int? buildingId = null)
    {
        var fields = new Dictionary<string, string> { ["Date"] = Iso(date), ["Value"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (buildingId is { } b) fields["BuildingId"] = b.ToString();
        var response = await client.PostFormAsync($"{place.Plan}/measures/{measureId}/values", fields, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static AngleSharp.Dom.IElement MeasureOn(string html, int measureId) => Html.Parse(html).Single($"#measure-{measureId}");

    [Fact]
    public async Task A_shifted_series_draws_its_median_marks_the_signal_on_the_chart_and_names_it_and_a_change_splits_the_phases()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var measureId = await AddMeasureAsync(leader, place, $"goals/{place.GoalId}", new(Percent("Third graders at grade level"))
        {
            ["BaselineValue"] = "48", ["BaselineDate"] = Iso(place.Today.AddDays(-600)),
            ["EndTargetValue"] = "80", ["EndTargetDate"] = Iso(place.Today.AddDays(200)), ["DataSource"] = "Spring benchmark",
        });
        // Twenty weekly values: ten around 50, then ten around 70 (a step up after the coaching began).
        decimal[] low = [48, 52, 49, 51, 50, 53, 47, 50.5m, 49.5m, 51.5m];
        decimal[] high = [69, 72, 70, 71, 68, 73, 70.5m, 69.5m, 71.5m, 72.5m];
        var first = place.Today.AddDays(-7 * 19);
        var series = low.Concat(high).ToArray();
        for (var i = 0; i < series.Length; i++) await RecordAsync(leader, place, measureId, first.AddDays(7 * i), series[i]);

        var measure = MeasureOn(await leader.GetHtmlAsync(place.Plan), measureId);
        // A goal's measure is headed one level below the goal (h2), so the outline skips no level.
        var heading = measure.Single($"#measure-{measureId}-title");
        Assert.Equal(("H3", true), (heading.TagName, heading.Text().Contains("Third graders at grade level")));
        var svg = measure.Single("svg.run-chart");
        Assert.Equal("img", svg.GetAttribute("role"));
        // One phase: one median, half-way between the two groups, written on the chart.
        var median = Assert.Single(svg.QuerySelectorAll(".run-chart-median"));
        Assert.Equal("Median 60.5%", median.Text().Trim());
        Assert.Equal(20, svg.QuerySelectorAll(".run-chart-point").Length);
        // Both runs of ten exceed the limit for 20 points (7): every point is drawn as a signal square.
        Assert.Equal(20, svg.QuerySelectorAll(".run-chart-signal rect").Length);
        Assert.Contains("Baseline 48%", svg.Text());
        Assert.Contains("End target 80%", svg.Text());
        var signals = measure.QuerySelectorAll(".measure-chart .run-chart-signal-sentence").Select(e => e.Text()).ToList();
        Assert.Contains(signals, s => s.Contains("A run of 10 points in a row above the median") && s.Contains("a shift in the better direction"));
        Assert.Contains(signals, s => s.Contains("Only 1 crossing of the median where chance alone would give at least 6"));

        // The table alternative lists every value with its date, and the targets.
        var rows = measure.QuerySelectorAll(".measure-table tr.measure-value-row").ToList();
        Assert.Equal(20, rows.Count);
        Assert.Equal([Iso(first), "Value", "48%", "District"], rows[0].QuerySelectorAll("td").Take(4).Select(td => td.Text()).ToArray());
        Assert.Contains("End target", measure.Single(".measure-table").Text());

        // The team marks the date coaching began: the chart splits into two phases, each with its own median.
        var change = await leader.PostFormAsync($"{place.Plan}/measures/{measureId}/phases",
            new() { ["Date"] = Iso(first.AddDays(7 * 10)), ["Label"] = "Coaching began" }, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        var split = MeasureOn(await leader.GetHtmlAsync(place.Plan), measureId);
        var medians = split.QuerySelectorAll("svg.run-chart .run-chart-median").Select(m => m.Text().Trim()).ToList();
        Assert.Equal(["Median 50.25%", "Median 70.75%"], medians);
        Assert.Contains("Coaching began", split.Single("svg.run-chart .run-chart-phase-change").Text());
        Assert.Empty(split.QuerySelectorAll("svg.run-chart .run-chart-signal"));
        Assert.Contains("Change introduced (new phase)", split.Single(".measure-table").Text());
        Assert.Equal(20, await factory.WithDbAsync(db => db.PlanMeasureValues.CountAsync(v => v.MeasureId == measureId)));
    }

    [Fact]
    public async Task The_target_check_says_where_the_latest_value_stands_against_the_interim_target_due()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var measureId = await AddMeasureAsync(leader, place, $"strategies/{place.StrategyId}", new(Percent("Classrooms observed using the routine"))
        {
            ["EndTargetValue"] = "90", ["EndTargetDate"] = Iso(place.Today.AddDays(150)),
        });
        var target = await leader.PostFormAsync($"{place.Plan}/measures/{measureId}/targets",
            new() { ["Date"] = Iso(place.Today.AddDays(-1)), ["Value"] = "65" }, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, target.StatusCode);
        await RecordAsync(leader, place, measureId, place.Today.AddDays(-30), 55);
        await RecordAsync(leader, place, measureId, place.Today, 62);

        var measure = MeasureOn(await leader.GetHtmlAsync(place.Plan), measureId);
        Assert.Contains("Interim measure", measure.Single($"#measure-{measureId}-title").Text());
        Assert.Equal($"Latest 62% ({Iso(place.Today)}): below the interim target 65% due {Iso(place.Today.AddDays(-1))}; end target 90% by {Iso(place.Today.AddDays(150))}.",
            measure.Single(".measure-target-check").Text().Trim());
        // Two points are too few for the rules: the chart says so rather than "no signal".
        Assert.StartsWith("Only 2 points to judge", measure.Single(".run-chart-findings li").Text());
        Assert.Contains("Target 65%", measure.Single("svg.run-chart").Text());
    }

    [Fact]
    public async Task Values_of_buildings_show_as_small_multiples_one_chart_per_building()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var measureId = await AddMeasureAsync(leader, place, $"activities/{place.ActivityId}", new()
        {
            ["Name"] = "Chronic absence", ["Kind"] = nameof(MeasureKind.Balancing), ["Unit"] = nameof(MeasureUnit.Rate), ["Better"] = nameof(BetterDirection.Lower),
        });
        var (north, south) = (place.Ids.LakeshoreBuildings[0], place.Ids.LakeshoreBuildings[1]);
        for (var i = 0; i < 3; i++)
        {
            await RecordAsync(leader, place, measureId, place.Today.AddDays(-30 * (3 - i)), 12 - i, north);
            await RecordAsync(leader, place, measureId, place.Today.AddDays(-30 * (3 - i)), 20 + i, south);
        }
        var names = await factory.WithDbAsync(db => db.Buildings.Where(b => b.Id == north || b.Id == south).OrderBy(b => b.Name).Select(b => b.Name).ToListAsync());

        var measure = MeasureOn(await leader.GetHtmlAsync(place.Plan), measureId);
        var small = measure.QuerySelectorAll(".measure-small-multiples .measure-building-chart").ToList();
        Assert.Equal(names, small.Select(s => s.Single("figcaption").Text()).ToList());
        Assert.All(small, s => Assert.Equal(3, s.QuerySelectorAll("svg.run-chart .run-chart-point").Length));
        // No district-wide value: no district chart, and the check says why.
        Assert.Null(measure.QuerySelector(".measure-chart"));
        Assert.StartsWith("No district-wide value yet", measure.Single(".measure-target-check").Text().Trim());
        Assert.Equal(6, measure.QuerySelectorAll(".measure-table tr.measure-value-row").Length);
        Assert.Contains(names[0], measure.Single(".measure-table").Text());
    }

    [Fact]
    public async Task Impossible_values_are_refused_next_to_their_field_and_nothing_is_stored()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var goalForm = $"goal-{place.GoalId}-measure";
        var noName = await leader.PostFormAsync($"{place.Plan}/goals/{place.GoalId}/measures", new(Percent(""))
        {
            ["BaselineValue"] = "64", ["DataSource"] = "Kept on refusal",
        }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        var page = Html.Parse(await noName.Content.ReadAsStringAsync());
        Assert.Equal("Name the measure.", page.Single($"#{goalForm}-name-error").Text());
        Assert.Equal("Give the baseline's value and date together, or neither.", page.Single($"#{goalForm}-bdate-error").Text());
        Assert.Equal("Kept on refusal", page.Single($"#{goalForm}-source").GetAttribute("value"));
        var overHundred = await leader.PostFormAsync($"{place.Plan}/goals/{place.GoalId}/measures", new(Percent("Reading"))
        {
            ["EndTargetValue"] = "150", ["EndTargetDate"] = Iso(place.Today.AddDays(100)),
        }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, overHundred.StatusCode);
        Assert.StartsWith("Enter a percent from 0 to 100", Html.Parse(await overHundred.Content.ReadAsStringAsync()).Single($"#{goalForm}-evalue-error").Text());

        var measureId = await AddMeasureAsync(leader, place, $"goals/{place.GoalId}", Percent("Reading"));
        var values = $"{place.Plan}/measures/{measureId}/values";
        var f = $"measure-{measureId}-value";
        var percent = await leader.PostFormAsync(values, new() { ["Value"] = "101" }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, percent.StatusCode);
        Assert.StartsWith("Enter a percent from 0 to 100", Html.Parse(await percent.Content.ReadAsStringAsync()).Single($"#{f}-value-error").Text());
        var tomorrow = await leader.PostFormAsync(values, new() { ["Value"] = "50", ["Date"] = Iso(place.Today.AddDays(1)) }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, tomorrow.StatusCode);
        Assert.Equal("A value cannot be dated after today.", Html.Parse(await tomorrow.Content.ReadAsStringAsync()).Single($"#{f}-date-error").Text());
        // Another district's building is not one of the choices; forged in, it is refused.
        var pineBuilding = await factory.WithDbAsync(db => db.Buildings.Where(b => b.DistrictId == place.Ids.PineRidge).Select(b => b.Id).FirstAsync());
        var forged = await leader.PostUnofferedAsync(values, new() { ["Value"] = "50", ["Date"] = Iso(place.Today), ["BuildingId"] = pineBuilding.ToString() }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("Choose one of the district's buildings, or the whole district.", Html.Parse(await forged.Content.ReadAsStringAsync()).Single($"#{f}-building-error").Text());
        var target = await leader.PostFormAsync($"{place.Plan}/measures/{measureId}/targets", new() { ["Date"] = Iso(place.Today), ["Value"] = "-3" }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, target.StatusCode);
        var noLabel = await leader.PostFormAsync($"{place.Plan}/measures/{measureId}/phases", new() { ["Date"] = Iso(place.Today), ["Label"] = " " }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, noLabel.StatusCode);
        Assert.Equal("Say in a few words what changed.", Html.Parse(await noLabel.Content.ReadAsStringAsync()).Single($"#measure-{measureId}-phase-label-error").Text());

        Assert.Equal(1, await factory.WithDbAsync(db => db.PlanMeasures.CountAsync(m => m.CycleId == place.CycleId)));
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.MeasureId == measureId)));
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureTargets.AnyAsync(v => v.MeasureId == measureId)));
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasurePhases.AnyAsync(v => v.MeasureId == measureId)));
    }

    [Fact]
    public async Task A_building_member_reads_measures_and_charts_but_may_not_add_to_them()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var measureId = await AddMeasureAsync(leader, place, $"goals/{place.GoalId}", Percent("Visible to buildings"));
        await RecordAsync(leader, place, measureId, place.Today, 40);

        var building = await factory.SignedInAsync("building1@example.org");
        var page = Html.Parse(await building.GetHtmlAsync(place.Plan));
        Assert.NotNull(page.Single($"#measure-{measureId}").QuerySelector("svg.run-chart"));
        Assert.Empty(page.QuerySelectorAll("main form"));
        var posts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ($"{place.Plan}/goals/{place.GoalId}/measures", Percent("A building's measure")),
            ($"{place.Plan}/strategies/{place.StrategyId}/measures", Percent("A building's measure")),
            ($"{place.Plan}/activities/{place.ActivityId}/measures", Percent("A building's measure")),
            ($"{place.Plan}/measures/{measureId}/values", new() { ["Date"] = Iso(place.Today), ["Value"] = "99" }),
            ($"{place.Plan}/measures/{measureId}/targets", new() { ["Date"] = Iso(place.Today), ["Value"] = "99" }),
            ($"{place.Plan}/measures/{measureId}/phases", new() { ["Date"] = Iso(place.Today), ["Label"] = "A building's change" }),
        };
        foreach (var (url, fields) in posts)
            Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync(url, fields, place.Plan)).StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(db => db.PlanMeasures.CountAsync(m => m.CycleId == place.CycleId)));
        Assert.Equal(1, await factory.WithDbAsync(db => db.PlanMeasureValues.CountAsync(v => v.MeasureId == measureId)));
    }

    [Fact]
    public async Task Another_districts_measure_is_not_found_and_nothing_is_written()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var measureId = await AddMeasureAsync(leader, place, $"goals/{place.GoalId}", Percent("Lakeshore only"));

        var pine = await factory.SignedInAsync("pineridge@example.org");
        var pinePlan = $"/districts/{place.Ids.PineRidge}/cycles/{place.Ids.PineRidgeCycle}/plan";
        var attempts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ($"{pinePlan}/measures/{measureId}/values", new() { ["Date"] = Iso(place.Today), ["Value"] = "1" }),
            ($"{pinePlan}/measures/{measureId}/targets", new() { ["Date"] = Iso(place.Today), ["Value"] = "1" }),
            ($"{pinePlan}/measures/{measureId}/phases", new() { ["Date"] = Iso(place.Today), ["Label"] = "Taken over" }),
            ($"{pinePlan}/goals/{place.GoalId}/measures", Percent("Taken over")),
            ($"{pinePlan}/strategies/{place.StrategyId}/measures", Percent("Taken over")),
            ($"{pinePlan}/activities/{place.ActivityId}/measures", Percent("Taken over")),
        };
        foreach (var (url, fields) in attempts)
            Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync(url, fields, pinePlan)).StatusCode);
        // And through Lakeshore's own address: not Pine Ridge's to see.
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{place.Plan}/measures/{measureId}/values",
            new() { ["Date"] = Iso(place.Today), ["Value"] = "1" }, pinePlan)).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.MeasureId == measureId)));
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureTargets.AnyAsync(v => v.MeasureId == measureId)));
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasures.AnyAsync(m => m.Name == "Taken over")));
    }
}
