using MicipPlanner.Domain.Networks;

namespace MicipPlanner.Domain.Tests;

/// <summary>
/// What a network publishes as districts join, leave, stop sharing or finalize again: nobody comparing the figures before
/// and after can work out the levels of fewer than 3 districts (ADR 13).
/// </summary>
public sealed class BenchmarkPublishingTests
{
    private static readonly string[] Rows = ["vision", "routines"];
    private static readonly int[] Years = [2025, 2026];

    /// <summary>A network as the publisher sees it: who shares, each district's finalized levels, and what was published.</summary>
    private sealed class Network
    {
        private readonly Dictionary<int, (Func<string, int, int> Level, long Finalized)> _finalized = [];
        private long _clock;

        public HashSet<int> Sharing { get; } = [];
        public IReadOnlyList<PublishedFigure> Published { get; private set; } = [];
        public DateTimeOffset Now { get; private set; } = new(2026, 11, 3, 15, 0, 0, TimeSpan.Zero);

        /// <summary>A district that shares, with its level per row and year.</summary>
        public Network Join(int district, Func<string, int, int> level)
        {
            Sharing.Add(district);
            return FinalizeAgain(district, level);
        }

        public Network Join(int district, int level) => Join(district, (_, _) => level);

        public Network StopSharing(int district)
        {
            Sharing.Remove(district);
            return this;
        }

        public Network Reopen(int district)
        {
            _finalized.Remove(district);
            return this;
        }

        public Network FinalizeAgain(int district, Func<string, int, int> level)
        {
            _finalized[district] = (level, ++_clock);
            return this;
        }

        public IEnumerable<BenchmarkContribution> Contributions() =>
            from d in _finalized
            from row in Rows
            from year in Years
            select new BenchmarkContribution(d.Key, year, row, d.Value.Level(row, year), d.Value.Finalized);

        public IReadOnlyList<BenchmarkFigure> Publish(int? viewer = null)
        {
            Now = Now.AddDays(1);
            Published = BenchmarkPublishing.Next(Published, Contributions(), Sharing, Rows, Years, Now);
            return BenchmarkPublishing.Figures(Published, Contributions().Where(c => c.DistrictId == viewer));
        }
    }

    private static BenchmarkFigure At(IReadOnlyList<BenchmarkFigure> figures, string row = "vision", int year = 2026) =>
        figures.Single(f => f.RowKey == row && f.StartYear == year);

    private static int?[] Cells(BenchmarkFigure figure) => figure.Cells.Select(c => c.Count).ToArray();

    /// <summary>Six districts: three at Developing and three at Evolving on every row and year.</summary>
    private static Network SixDistricts()
    {
        var network = new Network();
        for (var d = 1; d <= 6; d++) network.Join(d, d <= 3 ? 2 : 3);
        return network;
    }

    [Fact]
    public void The_first_publication_shows_the_current_figures()
    {
        var figures = SixDistricts().Publish();
        Assert.All(figures, f => Assert.Equal(FigureStatus.Shown, f.Status));
        Assert.Equal([0, 3, 3, 0], Cells(At(figures)));
        Assert.Equal(6, At(figures).Contributors);
    }

    [Fact]
    public void Single_district_joins_change_nothing_readers_see_until_the_third_and_then_the_change_mixes_three_districts()
    {
        var network = SixDistricts();
        var before = Cells(At(network.Publish()));

        // Each join alone would add 1 to its level: the coordinator knows who joined and would read its level off.
        network.Join(7, 2);
        Assert.Equal(before, Cells(At(network.Publish())));
        network.Join(8, 3);
        var afterTwo = At(network.Publish());
        Assert.Equal(before, Cells(afterTwo));
        Assert.Equal(6, afterTwo.Contributors);

        // The third join: the figures move by the three districts together (2 at Developing, 1 at Evolving), which does not
        // say which of them sits where.
        network.Join(9, 2);
        var afterThree = At(network.Publish());
        Assert.Equal([0, 5, 4, 0], Cells(afterThree));
        Assert.Equal(9, afterThree.Contributors);
    }

    [Fact]
    public void Publishing_again_with_nothing_changed_still_compares_with_the_numbers_last_shown()
    {
        // Were the kept figure's districts taken as the new base, an unrelated later publication would show the joiner.
        var network = SixDistricts();
        var before = Cells(At(network.Publish()));
        network.Join(7, 4);
        Assert.Equal(before, Cells(At(network.Publish())));
        Assert.Equal(before, Cells(At(network.Publish())));
        Assert.Equal(before, Cells(At(network.Publish())));
    }

    [Fact]
    public void A_district_that_stops_sharing_leaves_every_figure_it_was_in_at_once_until_3_districts_have_changed()
    {
        // District 6 finalized only this school year, so last year's figures do not count it.
        var network = new Network();
        for (var d = 1; d <= 5; d++) network.Join(d, d <= 3 ? 2 : 3);
        network.Join(6, (_, year) => year == 2026 ? 3 : 0);
        var before = network.Publish();
        Assert.Equal([0, 3, 3, 0], Cells(At(before)));
        Assert.Equal(5, At(before, year: 2025).Contributors);

        // Its old numbers are not kept: they count a district that no longer shares them.
        network.StopSharing(6);
        var after = network.Publish();
        foreach (var row in Rows)
        {
            Assert.Equal(FigureStatus.ContributorLeft, At(after, row).Status);
            Assert.Empty(At(after, row).Cells);
            // Last year's figures did not count it: nothing changed for them.
            Assert.Equal(FigureStatus.Shown, At(after, row, 2025).Status);
        }

        // A join makes two changes: still withheld. A second join makes three: the figures return, without district 6.
        network.Join(7, 2);
        Assert.Equal(FigureStatus.ContributorLeft, At(network.Publish()).Status);
        network.Join(8, 2);
        var back = At(network.Publish());
        Assert.Equal(FigureStatus.Shown, back.Status);
        Assert.Equal(7, back.Contributors);
        // 5 at Developing, 2 at Evolving: Evolving is small and Developing protects it.
        Assert.Equal([0, null, null, 0], Cells(back));
        Assert.Equal([null, WithheldReason.ProtectsAnother, WithheldReason.Small, null], back.Cells.Select(c => c.Reason).ToArray());
    }

    [Fact]
    public void Reopening_keeps_the_numbers_shown_and_finalizing_again_counts_as_a_change()
    {
        var network = new Network();
        for (var d = 1; d <= 4; d++) network.Join(d, 3);
        Assert.Equal([0, 0, 4, 0], Cells(At(network.Publish())));

        // Reopened, the district still shares: the numbers it was counted in stay.
        network.Reopen(1);
        Assert.Equal([0, 0, 4, 0], Cells(At(network.Publish())));
        // Finalized again with another level: one changed district, which new numbers would give away.
        network.FinalizeAgain(1, (_, _) => 4);
        Assert.Equal([0, 0, 4, 0], Cells(At(network.Publish())));

        // Two more districts finalize again at Accomplished: three changed, the new levels show.
        network.FinalizeAgain(2, (_, _) => 4).FinalizeAgain(3, (_, _) => 4);
        var after = At(network.Publish());
        Assert.Equal(4, after.Contributors);
        Assert.Equal([0, 0, null, null], Cells(after));
        Assert.Equal([null, null, WithheldReason.Small, WithheldReason.ProtectsAnother], after.Cells.Select(c => c.Reason).ToArray());
    }

    [Fact]
    public void A_figure_that_falls_below_3_is_compared_later_with_the_numbers_last_shown()
    {
        var network = new Network();
        for (var d = 1; d <= 5; d++) network.Join(d, 2);
        network.Publish();
        network.StopSharing(3).StopSharing(4).StopSharing(5);
        var tooFew = network.Publish();
        Assert.Equal(FigureStatus.TooFewDistricts, At(tooFew).Status);
        Assert.Equal(2, At(tooFew).Contributors);

        // One district joins: four differ from the five last shown, so the three now contributing show.
        network.Join(6, 1);
        var figure = At(network.Publish());
        Assert.Equal(FigureStatus.Shown, figure.Status);
        Assert.Equal(3, figure.Contributors);
    }

    [Fact]
    public void A_viewers_own_level_is_marked_only_on_numbers_that_count_it()
    {
        var network = SixDistricts();
        network.Publish();
        network.Join(7, 4);
        // Kept numbers do not count district 7: its level is not marked on them.
        Assert.Null(At(network.Publish(viewer: 7)).OwnLevel);
        Assert.Equal(2, At(network.Publish(viewer: 1)).OwnLevel);
        network.Join(8, 4).Join(9, 4);
        Assert.Equal(4, At(network.Publish(viewer: 7)).OwnLevel);
    }

    [Fact]
    public void A_new_school_year_is_published_afresh_and_the_years_still_shown_keep_their_rule()
    {
        var network = SixDistricts();
        var first = network.Publish();
        network.Join(7, 4);
        // The years move on by one: 2026 is compared with what was shown, 2027 has nothing to compare with.
        var years = new[] { 2026, 2027 };
        var contributions = network.Contributions().Select(c => c with { StartYear = c.StartYear + 1 });
        var published = BenchmarkPublishing.Next(network.Published, contributions, network.Sharing, Rows, years, network.Now.AddDays(1));
        var figures = BenchmarkPublishing.Figures(published, []);
        Assert.Equal(Cells(At(first)), Cells(At(figures, year: 2026)));
        Assert.Equal([0, 3, 3, 1], At(figures, year: 2027).Cells.Select(c => c.Count ?? (c.Reason == WithheldReason.Small ? 1 : 3)).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void No_sequence_of_single_district_changes_lets_a_reader_subtract_fewer_than_3_districts(int seed)
    {
        // A reader who sees the figures after every change (as the coordinator can) compares each figure with what they
        // saw of it before. Whatever one district at a time does, two different sets of numbers they see must differ by at
        // least 3 districts, and the numbers shown never count a district that has stopped sharing.
        var random = new Random(seed);
        var network = new Network();
        var next = 1;
        for (; next <= 5; next++) network.Join(next, random.Next(1, 5));
        var seen = new Dictionary<(string, int), FigurePublication>();
        var newNumbersSeen = 0;
        for (var step = 0; step < 300; step++)
        {
            var members = network.Sharing.ToList();
            switch (random.Next(5))
            {
                case 0 or 1:
                    var levels = Enumerable.Range(0, 4).Select(_ => random.Next(1, 5)).ToArray();
                    network.Join(next++, (row, year) => levels[Array.IndexOf(Rows, row) * 2 + Array.IndexOf(Years, year)]);
                    break;
                case 2 when members.Count > 0:
                    network.StopSharing(members[random.Next(members.Count)]);
                    break;
                case 3 when members.Count > 0:
                    network.Reopen(members[random.Next(members.Count)]);
                    break;
                case 4 when members.Count > 0:
                    var level = random.Next(1, 5);
                    network.FinalizeAgain(members[random.Next(members.Count)], (_, _) => level);
                    break;
            }
            network.Publish();
            foreach (var figure in network.Published.Where(f => f.Status == FigureStatus.Shown))
            {
                var shown = figure.LastShown!;
                Assert.All(shown.Contributors, c => Assert.Contains(c.DistrictId, network.Sharing));
                if (seen.TryGetValue((figure.RowKey, figure.StartYear), out var before) && before != shown)
                {
                    var changed = BenchmarkPublishing.ChangedDistricts(before.Contributors,
                        shown.Contributors.Select(c => new BenchmarkContribution(c.DistrictId, figure.StartYear, figure.RowKey, 1, c.FinalizedTicks)));
                    Assert.True(changed >= 3, $"step {step}: {figure.RowKey} {figure.StartYear} changed by {changed} districts");
                    newNumbersSeen++;
                }
                seen[(figure.RowKey, figure.StartYear)] = shown;
            }
        }
        // The rule must not get there by never publishing: new numbers do show as changes add up.
        Assert.True(newNumbersSeen > 10, $"only {newNumbersSeen} new numbers shown");
    }
}
