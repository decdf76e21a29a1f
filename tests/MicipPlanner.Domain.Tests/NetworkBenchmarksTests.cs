using MicipPlanner.Domain.Networks;

namespace MicipPlanner.Domain.Tests;

public sealed class NetworkBenchmarksTests
{
    private static readonly string[] Rows = ["vision", "routines"];
    private static readonly int[] Years = [2025, 2026];

    private static BenchmarkContribution C(int district, int year, string row, int level) => new(district, year, row, level);

    private static BenchmarkFigure Figure(IEnumerable<BenchmarkContribution> contributions, string row = "vision", int year = 2026, int? viewer = null) =>
        NetworkBenchmarks.Compute(contributions, Rows, Years, viewer).Single(f => f.RowKey == row && f.StartYear == year);

    private static int? CountAt(BenchmarkFigure figure, int level) => figure.Cells.Single(c => c.Level == level).Count;

    private static WithheldReason? ReasonAt(BenchmarkFigure figure, int level) => figure.Cells.Single(c => c.Level == level).Reason;

    [Fact]
    public void A_figure_with_fewer_than_3_districts_is_withheld_entirely()
    {
        var figure = Figure([C(1, 2026, "vision", 2), C(2, 2026, "vision", 3)]);
        Assert.False(figure.IsShown);
        Assert.Empty(figure.Cells);
        Assert.Equal(2, figure.Contributors);
    }

    [Fact]
    public void Three_districts_on_one_level_are_shown_with_their_count()
    {
        var figure = Figure([C(1, 2026, "vision", 3), C(2, 2026, "vision", 3), C(3, 2026, "vision", 3)]);
        Assert.True(figure.IsShown);
        Assert.Equal(3, CountAt(figure, 3));
        Assert.Equal(0, CountAt(figure, 1));
        Assert.All(figure.Cells, c => Assert.False(c.IsWithheld));
        Assert.All(figure.Cells, c => Assert.Null(c.Reason));
    }

    [Fact]
    public void A_level_held_by_one_district_is_shown_as_fewer_than_3_and_cannot_be_worked_out_from_the_total()
    {
        // Four at Developing, one at Accomplished: the single Accomplished district must not be visible,
        // and since the total (5) is shown, Developing is withheld too (otherwise 5 - 4 = 1 gives it away).
        var contributions = Enumerable.Range(1, 4).Select(d => C(d, 2026, "vision", 2)).Append(C(5, 2026, "vision", 4)).ToList();
        var figure = Figure(contributions);
        Assert.True(figure.IsShown);
        Assert.Equal(5, figure.Contributors);
        Assert.Null(CountAt(figure, 4));
        Assert.Null(CountAt(figure, 2));
        Assert.Equal(0, CountAt(figure, 1));
        Assert.Equal(0, CountAt(figure, 3));
        // Each withheld cell says why: Accomplished is small; Developing (4 districts) only protects it.
        Assert.Equal(WithheldReason.Small, ReasonAt(figure, 4));
        Assert.Equal(WithheldReason.ProtectsAnother, ReasonAt(figure, 2));
        Assert.Null(ReasonAt(figure, 1));
    }

    [Fact]
    public void The_cell_withheld_with_a_small_one_is_the_smallest_other_non_empty_cell()
    {
        // 6 at Beginning, 3 at Developing, 2 at Evolving: Developing (3) goes with Evolving, Beginning (6) stays.
        var contributions = new List<BenchmarkContribution>();
        var id = 0;
        foreach (var (level, count) in new[] { (1, 6), (2, 3), (3, 2) })
            for (var i = 0; i < count; i++) contributions.Add(C(++id, 2026, "vision", level));
        var figure = Figure(contributions);
        Assert.Equal(6, CountAt(figure, 1));
        Assert.Equal(WithheldReason.ProtectsAnother, ReasonAt(figure, 2));
        Assert.Equal(WithheldReason.Small, ReasonAt(figure, 3));
        Assert.Equal(0, CountAt(figure, 4));
        Assert.Null(ReasonAt(figure, 4));
    }

    [Fact]
    public void Two_small_cells_are_both_withheld_and_large_cells_stay_visible()
    {
        // 3 at Beginning, 3 at Developing, 1 at Evolving, 2 at Accomplished.
        var contributions = new List<BenchmarkContribution>();
        var id = 0;
        foreach (var (level, count) in new[] { (1, 3), (2, 3), (3, 1), (4, 2) })
            for (var i = 0; i < count; i++) contributions.Add(C(++id, 2026, "vision", level));
        var figure = Figure(contributions);
        Assert.Equal(3, CountAt(figure, 1));
        Assert.Equal(3, CountAt(figure, 2));
        Assert.Null(CountAt(figure, 3));
        Assert.Null(CountAt(figure, 4));
        // Two small cells protect each other: neither total minus shown gives one of them away, and both are small.
        Assert.Equal(WithheldReason.Small, ReasonAt(figure, 3));
        Assert.Equal(WithheldReason.Small, ReasonAt(figure, 4));
    }

    [Fact]
    public void Computed_afresh_a_figure_counts_only_the_contributions_given()
    {
        var all = new List<BenchmarkContribution>
        {
            C(1, 2026, "vision", 3), C(2, 2026, "vision", 3), C(3, 2026, "vision", 3),
            C(1, 2026, "routines", 2), C(2, 2026, "routines", 2), C(3, 2026, "routines", 2), C(4, 2026, "routines", 2),
        };
        var before = NetworkBenchmarks.Compute(all, Rows, Years, null);
        Assert.True(before.Single(f => f.RowKey == "vision" && f.StartYear == 2026).IsShown);
        Assert.Equal(4, before.Single(f => f.RowKey == "routines" && f.StartYear == 2026).Contributors);

        // District 3 stops sharing: its contributions are no longer read.
        var after = NetworkBenchmarks.Compute(all.Where(c => c.DistrictId != 3), Rows, Years, null);
        var vision = after.Single(f => f.RowKey == "vision" && f.StartYear == 2026);
        Assert.False(vision.IsShown);
        Assert.Equal(2, vision.Contributors);
        var routines = after.Single(f => f.RowKey == "routines" && f.StartYear == 2026);
        Assert.Equal(3, routines.Contributors);
        Assert.Equal(3, CountAt(routines, 2));
    }

    [Fact]
    public void Each_school_year_is_its_own_figure_and_the_viewers_own_level_is_marked()
    {
        var contributions = new[]
        {
            C(1, 2025, "vision", 1), C(2, 2025, "vision", 1), C(3, 2025, "vision", 1),
            C(1, 2026, "vision", 3), C(2, 2026, "vision", 3), C(3, 2026, "vision", 3),
        };
        var earlier = Figure(contributions, year: 2025, viewer: 2);
        var current = Figure(contributions, year: 2026, viewer: 2);
        Assert.Equal(3, CountAt(earlier, 1));
        Assert.Equal(3, CountAt(current, 3));
        Assert.Equal(1, earlier.OwnLevel);
        Assert.Equal(3, current.OwnLevel);
        Assert.Null(Figure(contributions, year: 2026, viewer: 9).OwnLevel);
    }

    [Fact]
    public void A_district_counted_twice_by_mistake_counts_once()
    {
        var figure = Figure([C(1, 2026, "vision", 2), C(1, 2026, "vision", 2), C(2, 2026, "vision", 2)]);
        Assert.False(figure.IsShown);
        Assert.Equal(2, figure.Contributors);
    }
}
