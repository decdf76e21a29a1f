using System.Globalization;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Web.Features.Shared;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>
/// One rubric row's benchmark as a server-rendered SVG: a bar per school year (oldest on top, so movement to the right
/// reads downwards), split into the four levels. Counts are written on the bars; a level of fewer than 3 districts is
/// hatched and labelled "&lt;3", a level withheld only to protect it is dotted and labelled "withheld", and both are
/// named in a second legend line; the viewer's own level is outlined and named. The page renders a table with the
/// same figures. This class lays the chart out; the partial <c>_BenchmarkChart</c> writes it.
/// </summary>
public sealed class BenchmarkChart : BarChart<BenchmarkChart.Bar>
{
    public const int LabelWidth = 90, BarWidth = 560, BarHeight = 30, Gap = 14, Top = 8;
    private static readonly string[] Fills = ["#7a2e0b", "#6b4a00", "#1f5f3f", "#123a5a"];

    /// <summary>What the two kinds of withheld segment say, on hover and in the legend.</summary>
    public const string SmallNote = "fewer than 3 districts", ProtectsNote = "withheld so the level of fewer than 3 cannot be worked out from the total";

    public BenchmarkChart(string title, IReadOnlyList<BenchmarkFigure> figures, IReadOnlyList<string> levelNames, string id)
        : base(title, id)
    {
        Width = LabelWidth + BarWidth + 10;
        Bars = figures.Select((f, i) =>
        {
            var y = Top + i * (BarHeight + Gap);
            var bar = new Bar(y, y + BarHeight / 2 + 5, SchoolYears.Format(f.StartYear), f.IsShown, NotShownText(f.Status, inChart: true), []);
            if (!f.IsShown) return bar;
            var shown = f.Cells.Where(c => !c.IsWithheld).Sum(c => c.Count!.Value);
            var withheldCells = f.Cells.Count(c => c.IsWithheld);
            // Withheld levels share what the shown ones leave (that sum follows from the total anyway), equally.
            var withheldEach = withheldCells == 0 ? 0 : (double)(f.Contributors - shown) / withheldCells;
            var x = (double)LabelWidth;
            foreach (var cell in f.Cells)
            {
                var value = cell.Count ?? withheldEach;
                if (value <= 0) continue;
                var w = BarWidth * value / f.Contributors;
                var levelName = levelNames[cell.Level - 1];
                var segment = cell.Reason switch
                {
                    WithheldReason.Small => new Segment(Charts.N(x), Charts.N(w), Charts.N(x + w / 2), $"url(#{id}-hatch)", "#212529",
                        w >= 22 ? "<3" : null, $"{levelName}: {SmallNote}", null),
                    WithheldReason.ProtectsAnother => new Segment(Charts.N(x), Charts.N(w), Charts.N(x + w / 2), $"url(#{id}-dots)", "#212529",
                        w >= 64 ? "withheld" : null, $"{levelName}: {ProtectsNote}", null),
                    _ => new Segment(Charts.N(x), Charts.N(w), Charts.N(x + w / 2), Fills[cell.Level - 1], "#ffffff",
                        w >= 22 ? cell.Count!.Value.ToString(CultureInfo.InvariantCulture) : null, null, null),
                };
                bar.Segments.Add(f.OwnLevel == cell.Level
                    ? segment with { Own = new Outline(Charts.N(x + 1.5), Charts.N(Math.Max(3, w - 3)), levelName) }
                    : segment);
                x += w;
            }
            return bar;
        }).ToList();
        var withheld = figures.SelectMany(f => f.Cells).Where(c => c.Reason is not null).Select(c => c.Reason!.Value).ToHashSet();
        // A second legend line names the withheld patterns the chart uses, so neither is read as a count.
        WithheldLegend = new[] { (WithheldReason.Small, $"url(#{id}-hatch)", $"<3: {SmallNote}"), (WithheldReason.ProtectsAnother, $"url(#{id}-dots)", "withheld: hides the <3 level from the total") }
            .Where(l => withheld.Contains(l.Item1)).Select((l, i) => (LabelWidth + i * 240, l.Item2, l.Item3)).ToList();
        Height = Top + figures.Count * (BarHeight + Gap) + 26 + (WithheldLegend.Count > 0 ? 20 : 0);
        LegendY = Top + figures.Count * (BarHeight + Gap) + 18;
        WithheldLegendY = LegendY + 20;
        Legend = Enumerable.Range(0, 4).Select(l => (LabelWidth + l * 130, Fills[l], levelNames[l])).ToList();
    }

    /// <summary>Swatches of the withheld patterns the chart uses (none when every level is shown).</summary>
    public IReadOnlyList<(int X, string Fill, string Name)> WithheldLegend { get; }

    public int WithheldLegendY { get; }

    /// <summary>What a figure that is not shown says instead, in its table row (<paramref name="inChart"/> false) or on its bar.</summary>
    public static string NotShownText(FigureStatus status, bool inChart = false) => status switch
    {
        FigureStatus.ContributorLeft when inChart => "Withheld: a district counted in it left or stopped sharing",
        FigureStatus.ContributorLeft => "Withheld: a district counted in it has left the network or stopped sharing; it returns once 3 districts have changed",
        FigureStatus.TooFewDistricts => "Not shown: fewer than 3 districts contributed",
        _ => "",
    };

    /// <summary>The figure's status as the table row carries it (data-status).</summary>
    public static string StatusName(FigureStatus status) => status switch
    {
        FigureStatus.ContributorLeft => "contributor-left",
        FigureStatus.TooFewDistricts => "too-few",
        _ => "shown",
    };

    /// <param name="NotShown">What the bar says instead of numbers, when the figure is not shown.</param>
    public sealed record Bar(int Y, int TextY, string SchoolYear, bool IsShown, string NotShown, List<Segment> Segments);

    /// <param name="Label">The count or mark written on the segment, or null when the segment is too narrow for it.</param>
    /// <param name="Note">Why a withheld segment shows no count (its hover title), or null for a count.</param>
    /// <param name="Own">The outline naming the viewer's own level, on that level's segment.</param>
    public sealed record Segment(string X, string Width, string MiddleX, string Fill, string TextColour, string? Label, string? Note, Outline? Own);

    public sealed record Outline(string X, string Width, string LevelName);
}
