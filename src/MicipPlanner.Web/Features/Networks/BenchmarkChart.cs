using System.Globalization;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Web.Features.Shared;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>
/// One rubric row's benchmark as a server-rendered SVG: a bar per school year (oldest on top, so movement to the right
/// reads downwards), split into the four levels. Counts are written on the bars; a withheld level is hatched and
/// labelled "&lt;3"; the viewer's own level is outlined and named. The page renders a table with the same figures.
/// This class lays the chart out; the partial <c>_BenchmarkChart</c> writes it.
/// </summary>
public sealed class BenchmarkChart : BarChart<BenchmarkChart.Bar>
{
    public const int LabelWidth = 90, BarWidth = 560, BarHeight = 30, Gap = 14, Top = 8;
    private static readonly string[] Fills = ["#7a2e0b", "#6b4a00", "#1f5f3f", "#123a5a"];

    public BenchmarkChart(string title, IReadOnlyList<BenchmarkFigure> figures, IReadOnlyList<string> levelNames, string id)
        : base(title, id)
    {
        Width = LabelWidth + BarWidth + 10;
        Height = Top + figures.Count * (BarHeight + Gap) + 26;
        Bars = figures.Select((f, i) =>
        {
            var y = Top + i * (BarHeight + Gap);
            var bar = new Bar(y, y + BarHeight / 2 + 5, SchoolYears.Format(f.StartYear), f.IsShown, []);
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
                bar.Segments.Add(new Segment(Charts.N(x), Charts.N(w), Charts.N(x + w / 2),
                    cell.IsWithheld ? $"url(#{id}-hatch)" : Fills[cell.Level - 1], cell.IsWithheld ? "#212529" : "#ffffff",
                    w >= 22 ? cell.IsWithheld ? "<3" : cell.Count!.Value.ToString(CultureInfo.InvariantCulture) : null,
                    f.OwnLevel == cell.Level ? new Outline(Charts.N(x + 1.5), Charts.N(Math.Max(3, w - 3)), levelNames[cell.Level - 1]) : null));
                x += w;
            }
            return bar;
        }).ToList();
        LegendY = Height - 8;
        Legend = Enumerable.Range(0, 4).Select(l => (LabelWidth + l * 130, Fills[l], levelNames[l])).ToList();
    }

    public sealed record Bar(int Y, int TextY, string SchoolYear, bool IsShown, List<Segment> Segments);

    /// <param name="Label">The count written on the segment, or null when the segment is too narrow for it.</param>
    /// <param name="Own">The outline naming the viewer's own level, on that level's segment.</param>
    public sealed record Segment(string X, string Width, string MiddleX, string Fill, string TextColour, string? Label, Outline? Own);

    public sealed record Outline(string X, string Width, string LevelName);
}
