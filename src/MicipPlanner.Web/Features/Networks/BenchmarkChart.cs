using System.Globalization;
using System.Net;
using System.Text;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using Microsoft.AspNetCore.Html;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>
/// One rubric row's benchmark as a server-rendered SVG: a bar per school year (oldest on top, so movement to the right
/// reads downwards), split into the four levels. Counts are written on the bars; a withheld level is hatched and
/// labelled "&lt;3"; the viewer's own level is outlined and named. The page renders a table with the same figures.
/// </summary>
public static class BenchmarkChart
{
    private static readonly string[] Fills = ["#7a2e0b", "#6b4a00", "#1f5f3f", "#123a5a"];
    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static IHtmlContent Render(string title, IReadOnlyList<BenchmarkFigure> figures, IReadOnlyList<string> levelNames, string id)
    {
        const int labelWidth = 90, barWidth = 560, barHeight = 30, gap = 14, top = 8;
        var width = labelWidth + barWidth + 10;
        var height = top + figures.Count * (barHeight + gap) + 26;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart benchmark\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" preserveAspectRatio=\"xMinYMin meet\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<defs><pattern id=\"{id}-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#f1f3f5\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#6c757d\" stroke-width=\"3\"/></pattern></defs>");
        for (var i = 0; i < figures.Count; i++)
        {
            var f = figures[i];
            var y = top + i * (barHeight + gap);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + barHeight / 2 + 5}\" font-size=\"13\" fill=\"#212529\">{E(SchoolYears.Format(f.StartYear))}</text>");
            if (!f.IsShown)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{barWidth}\" height=\"{barHeight}\" fill=\"#f8f9fa\" stroke=\"#adb5bd\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + 8}\" y=\"{y + barHeight / 2 + 5}\" font-size=\"12\" fill=\"#212529\">Not shown: fewer than 3 districts contributed</text>");
                continue;
            }
            var shown = f.Cells.Where(c => !c.IsWithheld).Sum(c => c.Count!.Value);
            var withheldCells = f.Cells.Count(c => c.IsWithheld);
            // Withheld levels share what the shown ones leave (that sum follows from the total anyway), equally.
            var withheldEach = withheldCells == 0 ? 0 : (double)(f.Contributors - shown) / withheldCells;
            var x = (double)labelWidth;
            foreach (var cell in f.Cells)
            {
                var value = cell.Count ?? withheldEach;
                if (value <= 0) continue;
                var w = barWidth * value / f.Contributors;
                var fill = cell.IsWithheld ? $"url(#{id}-hatch)" : Fills[cell.Level - 1];
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{y}\" width=\"{N(w)}\" height=\"{barHeight}\" fill=\"{fill}\" stroke=\"#fff\"/>");
                var label = cell.IsWithheld ? "<3" : cell.Count!.Value.ToString(CultureInfo.InvariantCulture);
                if (w >= 22)
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + w / 2)}\" y=\"{y + barHeight / 2 + 5}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\" fill=\"{(cell.IsWithheld ? "#212529" : "#ffffff")}\">{E(label)}</text>");
                if (f.OwnLevel == cell.Level)
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x + 1.5)}\" y=\"{y - 3}\" width=\"{N(Math.Max(3, w - 3))}\" height=\"{barHeight + 6}\" fill=\"none\" stroke=\"#000\" stroke-width=\"3\" stroke-dasharray=\"6 3\"><title>Your district: {E(levelNames[cell.Level - 1])}</title></rect>");
                x += w;
            }
        }
        var legendY = height - 8;
        var lx = labelWidth;
        for (var l = 0; l < 4; l++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{legendY - 10}\" width=\"12\" height=\"12\" fill=\"{Fills[l]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 16}\" y=\"{legendY}\" font-size=\"12\" fill=\"#212529\">{E(levelNames[l])}</text>");
            lx += 130;
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
