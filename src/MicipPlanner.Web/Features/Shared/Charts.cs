using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace MicipPlanner.Web.Features.Shared;

/// <summary>
/// Server-rendered SVG charts: they look the same in the browser, in print and in PDF. Every chart
/// writes its numbers on the marks (colour is never the only signal) and callers render a table
/// alternative beside it.
/// </summary>
public static class Charts
{
    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Grid of counts: one row per label, one column per level; darker = more, and the count is written in the cell.</summary>
    public static IHtmlContent HeatMap(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        IReadOnlyList<IReadOnlyList<int>> counts, string id)
    {
        const int labelWidth = 230, cellWidth = 120, cellHeight = 40, headerHeight = 44;
        var width = labelWidth + cellWidth * columnLabels.Count;
        var height = headerHeight + cellHeight * rowLabels.Count + 4;
        var max = Math.Max(1, counts.SelectMany(r => r).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart heat-map\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" preserveAspectRatio=\"xMinYMin meet\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(title)}</title>");
        for (var c = 0; c < columnLabels.Count; c++)
        {
            var x = labelWidth + c * cellWidth + cellWidth / 2;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{headerHeight - 12}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"#212529\">{E(columnLabels[c])}</text>");
        }
        for (var r = 0; r < rowLabels.Count; r++)
        {
            var y = headerHeight + r * cellHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + cellHeight / 2 + 5}\" font-size=\"13\" fill=\"#212529\">{E(Truncate(rowLabels[r], 32))}</text>");
            for (var c = 0; c < columnLabels.Count; c++)
            {
                var count = counts[r][c];
                var shade = count == 0 ? 1.0 : 0.85 - 0.6 * count / max;
                var fill = count == 0 ? "#ffffff" : $"hsl(212, 70%, {N(shade * 100)}%)";
                var textColour = shade < 0.55 ? "#ffffff" : "#212529";
                var x = labelWidth + c * cellWidth;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" fill=\"{fill}\" stroke=\"#6c757d\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + cellWidth / 2}\" y=\"{y + cellHeight / 2 + 5}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"{textColour}\">{(count == 0 ? "–" : count.ToString(CultureInfo.InvariantCulture))}</text>");
            }
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>Levels (1..levelCount) per series across periods, drawn as dots joined by lines; the level number is written on each dot.</summary>
    public static IHtmlContent LevelTrend(string title, IReadOnlyList<string> periods, IReadOnlyList<(string Name, IReadOnlyList<int?> Levels)> series,
        IReadOnlyList<string> levelNames, string id)
    {
        const int left = 170, top = 20, rowGap = 46, periodGap = 150, bottom = 40;
        // Wide enough for the plot and for the legend (three entries of 260 per line).
        var width = Math.Max(left + Math.Max(1, periods.Count) * periodGap + 40, 10 + Math.Min(3, series.Count) * 260);
        var plotHeight = rowGap * (levelNames.Count - 1);
        var height = top + plotHeight + bottom + 24 * ((series.Count + 2) / 3);
        double Y(int level) => top + plotHeight - (level - 1) * rowGap;
        double X(int period) => left + 40 + period * periodGap;
        string[] strokes = ["#0b5394", "#8a3b00", "#2d6a2d", "#5b2a86", "#7a1f1f", "#005f5f"];
        string[] dashes = ["", "6 3", "2 3", "10 4 2 4", "1 2", "8 8"];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart trend\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" preserveAspectRatio=\"xMinYMin meet\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(title)}</title>");
        for (var l = 1; l <= levelNames.Count; l++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{N(Y(l))}\" y2=\"{N(Y(l))}\" stroke=\"#dee2e6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{N(Y(l) + 4)}\" font-size=\"12\" fill=\"#212529\">{l}. {E(Truncate(levelNames[l - 1], 22))}</text>");
        }
        for (var p = 0; p < periods.Count; p++)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(p))}\" y=\"{top + plotHeight + 24}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"#212529\">{E(periods[p])}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var (name, levels) = series[s];
            var stroke = strokes[s % strokes.Length];
            var points = Enumerable.Range(0, levels.Count).Where(i => levels[i] is not null)
                .Select(i => (X: X(i), Y: Y(levels[i]!.Value) + (s - series.Count / 2.0) * 3, Level: levels[i]!.Value)).ToList();
            if (points.Count > 1)
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-dasharray=\"{dashes[s % dashes.Length]}\" points=\"{string.Join(' ', points.Select(pt => N(pt.X) + "," + N(pt.Y)))}\"/>");
            foreach (var pt in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(pt.X)}\" cy=\"{N(pt.Y)}\" r=\"9\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"2.5\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(pt.X)}\" y=\"{N(pt.Y + 4)}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"700\" fill=\"#212529\">{pt.Level}</text>");
            }
            var legendX = 10 + (s % 3) * 260;
            var legendY = top + plotHeight + bottom + 16 + (s / 3) * 24;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{legendX}\" x2=\"{legendX + 30}\" y1=\"{legendY - 4}\" y2=\"{legendY - 4}\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-dasharray=\"{dashes[s % dashes.Length]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX + 36}\" y=\"{legendY}\" font-size=\"12\" fill=\"#212529\">{E(Truncate(name, 30))}</text>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>Horizontal stacked bars (one per label), each segment labelled with its count and hatched differently.</summary>
    public static IHtmlContent StackedBars(string title, IReadOnlyList<string> labels, IReadOnlyList<string> segmentNames,
        IReadOnlyList<IReadOnlyList<int>> values, string id)
    {
        const int labelWidth = 240, barWidth = 460, barHeight = 26, gap = 14, top = 10;
        var total = Math.Max(1, values.Select(v => v.Sum()).DefaultIfEmpty(0).Max());
        var height = top + labels.Count * (barHeight + gap) + 40;
        string[] fills = ["#1b6e3a", "#f2c94c", "#b3261e"];
        string[] patterns = ["", "url(#" + id + "-hatch)", "url(#" + id + "-dots)"];
        string[] textColours = ["#ffffff", "#212529", "#ffffff"];
        // A halo behind each count keeps it legible on the hatched and dotted patterns.
        string[] haloColours = ["#1b6e3a", "#ffffff", "#6b1612"];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart stacked-bars\" viewBox=\"0 0 {labelWidth + barWidth + 20} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" preserveAspectRatio=\"xMinYMin meet\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<defs><pattern id=\"{id}-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"{fills[1]}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#8a6d00\" stroke-width=\"2\"/></pattern>");
        svg.Append(CultureInfo.InvariantCulture, $"<pattern id=\"{id}-dots\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"{fills[2]}\"/><circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#ffffff\"/></pattern></defs>");
        for (var i = 0; i < labels.Count; i++)
        {
            var y = top + i * (barHeight + gap);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + barHeight / 2 + 5}\" font-size=\"13\" fill=\"#212529\">{E(Truncate(labels[i], 34))}</text>");
            double x = labelWidth;
            for (var s = 0; s < values[i].Count; s++)
            {
                var v = values[i][s];
                if (v == 0) continue;
                var w = barWidth * v / (double)total;
                var fill = patterns[s % patterns.Length].Length > 0 ? patterns[s % patterns.Length] : fills[s % fills.Length];
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{y}\" width=\"{N(w)}\" height=\"{barHeight}\" fill=\"{fill}\" stroke=\"#212529\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + w / 2)}\" y=\"{y + barHeight / 2 + 5}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"700\" fill=\"{textColours[s % textColours.Length]}\" stroke=\"{haloColours[s % haloColours.Length]}\" stroke-width=\"3\" paint-order=\"stroke\">{v}</text>");
                x += w;
            }
        }
        var legendY = top + labels.Count * (barHeight + gap) + 18;
        for (var s = 0; s < segmentNames.Count; s++)
        {
            var lx = 4 + s * 230;
            var fill = patterns[s % patterns.Length].Length > 0 ? patterns[s % patterns.Length] : fills[s % fills.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{legendY - 12}\" width=\"16\" height=\"16\" fill=\"{fill}\" stroke=\"#212529\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 22}\" y=\"{legendY + 1}\" font-size=\"12\" fill=\"#212529\">{E(segmentNames[s])}</text>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
