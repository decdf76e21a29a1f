using System.Globalization;

namespace MicipPlanner.Web.Features.Shared;

/// <summary>
/// Server-rendered SVG charts: they look the same in the browser, in print and in PDF. Every chart writes its numbers
/// on the marks (colour is never the only signal) and callers render a table alternative beside it. These classes lay
/// a chart out; the partials of the same name (<c>_HeatMap</c>, <c>_LevelTrend</c>, <c>_StackedBars</c>) write it, so
/// Razor encodes every label. The run chart (<c>Plan/RunChartSvg</c>) writes itself, encoding its labels, since a page
/// draws many of them.
/// </summary>
public static class Charts
{
    /// <summary>
    /// A coordinate as SVG reads it, whatever the request's culture, to a hundredth. Rounded first and written in the
    /// shortest form ("12.5", "80"): the custom format "0.##" gave the same text at several times the cost, and a page of
    /// run charts writes over a thousand of them. Adding 0 turns a rounded −0 into 0.
    /// </summary>
    public static string N(double value) => (Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.0).ToString(CultureInfo.InvariantCulture);

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>What every chart partial reads first: the title and id (the SVG's label and its patterns' prefix) and the size.</summary>
public abstract class SvgChart(string title, string id)
{
    public string Title { get; } = title;
    public string Id { get; } = id;
    public int Width { get; protected set; }
    public int Height { get; protected set; }
}

/// <summary>Grid of counts: one row per label, one column per level; darker = more, and the count is written in the cell.</summary>
public sealed class HeatMapChart : SvgChart
{
    public const int LabelWidth = 230, CellWidth = 120, CellHeight = 40, HeaderHeight = 44;

    public HeatMapChart(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        IReadOnlyList<IReadOnlyList<int>> counts, string id)
        : base(title, id)
    {
        Width = LabelWidth + CellWidth * columnLabels.Count;
        Height = HeaderHeight + CellHeight * rowLabels.Count + 4;
        var max = Math.Max(1, counts.SelectMany(r => r).DefaultIfEmpty(0).Max());
        Columns = columnLabels.Select((label, c) => (LabelWidth + c * CellWidth + CellWidth / 2, label)).ToList();
        Rows = rowLabels.Select((label, r) =>
        {
            var y = HeaderHeight + r * CellHeight;
            var cells = counts[r].Select((count, c) =>
            {
                var shade = count == 0 ? 1.0 : 0.85 - 0.6 * count / max;
                return new Cell(LabelWidth + c * CellWidth, count == 0 ? "#ffffff" : $"hsl(212, 70%, {Charts.N(shade * 100)}%)",
                    shade < 0.55 ? "#ffffff" : "#212529", count == 0 ? "–" : count.ToString(CultureInfo.InvariantCulture));
            }).Take(columnLabels.Count).ToList();
            return new Row(y, Charts.Truncate(label, 32), cells);
        }).ToList();
    }

    public IReadOnlyList<(int X, string Label)> Columns { get; }
    public IReadOnlyList<Row> Rows { get; }

    public sealed record Row(int Y, string Label, IReadOnlyList<Cell> Cells);

    public sealed record Cell(int X, string Fill, string TextColour, string Text);
}

/// <summary>Levels (1..levelCount) per series across periods, drawn as dots joined by lines; the level number is written on each dot.</summary>
public sealed class LevelTrendChart : SvgChart
{
    public const int Left = 170, Top = 20, RowGap = 46, PeriodGap = 150, Bottom = 40;
    private static readonly string[] Strokes = ["#0b5394", "#8a3b00", "#2d6a2d", "#5b2a86", "#7a1f1f", "#005f5f"];
    private static readonly string[] Dashes = ["", "6 3", "2 3", "10 4 2 4", "1 2", "8 8"];

    public LevelTrendChart(string title, IReadOnlyList<string> periods, IReadOnlyList<(string Name, IReadOnlyList<int?> Levels)> series,
        IReadOnlyList<string> levelNames, string id)
        : base(title, id)
    {
        // Wide enough for the plot and for the legend (three entries of 260 per line).
        Width = Math.Max(Left + Math.Max(1, periods.Count) * PeriodGap + 40, 10 + Math.Min(3, series.Count) * 260);
        var plotHeight = RowGap * (levelNames.Count - 1);
        Height = Top + plotHeight + Bottom + 24 * ((series.Count + 2) / 3);
        double Y(int level) => Top + plotHeight - (level - 1) * RowGap;
        double X(int period) => Left + 40 + period * PeriodGap;
        Levels = Enumerable.Range(1, levelNames.Count)
            .Select(l => new LevelLine(Charts.N(Y(l)), Charts.N(Y(l) + 4), $"{l}. {Charts.Truncate(levelNames[l - 1], 22)}")).ToList();
        PeriodLabelY = Top + plotHeight + 24;
        Periods = periods.Select((p, i) => (Charts.N(X(i)), p)).ToList();
        Series = series.Select((s, index) =>
        {
            var points = Enumerable.Range(0, s.Levels.Count).Where(i => s.Levels[i] is not null)
                .Select(i => (X: X(i), Y: Y(s.Levels[i]!.Value) + (index - series.Count / 2.0) * 3, Level: s.Levels[i]!.Value))
                .Select(pt => new Point(Charts.N(pt.X), Charts.N(pt.Y), Charts.N(pt.Y + 4), pt.Level)).ToList();
            var line = points.Count > 1 ? string.Join(' ', points.Select(pt => pt.X + "," + pt.Y)) : null;
            return new Line(Charts.Truncate(s.Name, 30), Strokes[index % Strokes.Length],
                Dashes[index % Dashes.Length], line, points,
                10 + (index % 3) * 260, Top + plotHeight + Bottom + 16 + (index / 3) * 24);
        }).ToList();
    }

    public IReadOnlyList<LevelLine> Levels { get; }
    public int PeriodLabelY { get; }
    public IReadOnlyList<(string X, string Label)> Periods { get; }
    public IReadOnlyList<Line> Series { get; }

    public sealed record LevelLine(string Y, string LabelY, string Label);

    /// <param name="Points">The joined dots, or null when the series has fewer than two.</param>
    public sealed record Line(string Name, string Stroke, string Dash, string? Points, IReadOnlyList<Point> Dots, int LegendX, int LegendY);

    public sealed record Point(string X, string Y, string LabelY, int Level);
}

/// <summary>What a bar chart's partial reads besides the frame: its bars and legend.</summary>
public abstract class BarChart<TBar>(string title, string id) : SvgChart(title, id)
{
    public IReadOnlyList<TBar> Bars { get; protected set; } = [];
    public int LegendY { get; protected set; }
    public IReadOnlyList<(int X, string Fill, string Name)> Legend { get; protected set; } = [];
}

/// <summary>Horizontal stacked bars (one per label), each segment labelled with its count and hatched differently.</summary>
public sealed class StackedBarsChart : BarChart<StackedBarsChart.Bar>
{
    public const int LabelWidth = 240, BarWidth = 460, BarHeight = 26, Gap = 14, Top = 10;
    public static readonly string[] Fills = ["#1b6e3a", "#f2c94c", "#b3261e"];
    private static readonly string[] TextColours = ["#ffffff", "#212529", "#ffffff"];
    // A halo behind each count keeps it legible on the hatched and dotted patterns.
    private static readonly string[] HaloColours = ["#1b6e3a", "#ffffff", "#6b1612"];

    public StackedBarsChart(string title, IReadOnlyList<string> labels, IReadOnlyList<string> segmentNames,
        IReadOnlyList<IReadOnlyList<int>> values, string id)
        : base(title, id)
    {
        var total = Math.Max(1, values.Select(v => v.Sum()).DefaultIfEmpty(0).Max());
        Width = LabelWidth + BarWidth + 20;
        Height = Top + labels.Count * (BarHeight + Gap) + 40;
        string[] patterns = ["", $"url(#{id}-hatch)", $"url(#{id}-dots)"];
        string Fill(int s) => patterns[s % patterns.Length].Length > 0 ? patterns[s % patterns.Length] : Fills[s % Fills.Length];
        Bars = labels.Select((label, i) =>
        {
            var y = Top + i * (BarHeight + Gap);
            double x = LabelWidth;
            var segments = new List<Segment>();
            for (var s = 0; s < values[i].Count; s++)
            {
                var v = values[i][s];
                if (v == 0) continue;
                var w = BarWidth * v / (double)total;
                segments.Add(new Segment(Charts.N(x), Charts.N(w), Charts.N(x + w / 2), Fill(s),
                    TextColours[s % TextColours.Length], HaloColours[s % HaloColours.Length], v));
                x += w;
            }
            return new Bar(y, y + BarHeight / 2 + 5, Charts.Truncate(label, 34), segments);
        }).ToList();
        LegendY = Top + labels.Count * (BarHeight + Gap) + 18;
        Legend = segmentNames.Select((name, s) => (4 + s * 230, Fill(s), name)).ToList();
    }

    public sealed record Bar(int Y, int TextY, string Label, IReadOnlyList<Segment> Segments);

    public sealed record Segment(string X, string Width, string MiddleX, string Fill, string TextColour, string Halo, int Count);
}
