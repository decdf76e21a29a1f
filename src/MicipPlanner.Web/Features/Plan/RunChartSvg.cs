using System.Globalization;
using System.Text.Encodings.Web;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Shared;
using Microsoft.AspNetCore.Html;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// A measure's run chart laid out for SVG: the points joined in date order, each phase's median, the baseline and the
/// targets, the dates a change was introduced, and the points of a signalling run drawn as squares (shape, not colour
/// alone, marks them). It writes itself (<c>@chart</c> in a view): the meeting page draws one per measure on every read
/// and every refresh of its sections, and a partial per chart and per mark cost more than the drawing. Every label is
/// encoded; the numbers are formatted coordinates. The page names every signal in a sentence beside it.
/// </summary>
public sealed class RunChartSvg : SvgChart, IHtmlContent
{
    public const int Left = 56, Right = 24, Top = 18;

    public RunChartSvg(string title, string id, IReadOnlyList<MeasurePoint> points, RunChartAnalysis analysis, MeasureUnit unit,
        MeasurePoint? baseline, IReadOnlyList<MeasureTarget> interimTargets, MeasureTarget? endTarget,
        IReadOnlyList<(DateOnly Date, string Label)> changes, bool small)
        : base(title, id)
    {
        Small = small;
        Width = small ? 320 : 680;
        Height = small ? 170 : 280;
        var bottom = small ? 30 : 46;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - bottom;
        AxisY = Top + plotHeight;

        var dates = points.Select(p => p.Date).Concat(interimTargets.Select(t => t.Date)).Concat(changes.Select(c => c.Date)).ToList();
        if (baseline is not null) dates.Add(baseline.Date);
        if (endTarget is not null) dates.Add(endTarget.Date);
        var first = dates.Count == 0 ? 0 : dates.Min().DayNumber;
        var last = dates.Count == 0 ? 1 : dates.Max().DayNumber;
        if (last == first) { first -= 15; last += 15; }
        double X(DateOnly date) => Left + (date.DayNumber - first) * (double)plotWidth / (last - first);

        var values = points.Select(p => p.Value).Concat(interimTargets.Select(t => t.Value)).ToList();
        if (baseline is not null) values.Add(baseline.Value);
        if (endTarget is not null) values.Add(endTarget.Value);
        var low = values.Count == 0 ? 0 : values.Min();
        var high = values.Count == 0 ? 1 : values.Max();
        var pad = high == low ? Math.Max(1, Math.Abs(high) / 10) : (high - low) / 10;
        low -= pad;
        high += pad;
        if (unit == MeasureUnit.Percent) { low = Math.Max(0, low); high = Math.Min(100, high); }
        if (low >= 0 && values.Count > 0 && values.Min() >= 0 && low < pad) low = 0;
        // In doubles: a coordinate needs no decimal precision, and decimal division was a tenth of the chart's cost.
        var (lowAt, span) = ((double)low, (double)(high - low));
        double Y(decimal value) => Top + plotHeight - ((double)value - lowAt) / span * plotHeight;

        Ticks = AxisTicks.Between(low, high, wholeNumbers: unit == MeasureUnit.Count)
            .Select(v => new Tick(Charts.N(Y(v)), Charts.N(Y(v) + 4), MeasureRules.Format(v, unit))).ToList();

        var signalPoints = analysis.Phases.SelectMany(p => p.SignalRuns).SelectMany(r => r.PointIndices).ToHashSet();
        Points = points.Select((p, i) => new Dot(Charts.N(X(p.Date)), Charts.N(Y(p.Value)), Charts.N(Y(p.Value) - 9),
            MeasureRules.Format(p.Value, unit), signalPoints.Contains(i), Charts.N(X(p.Date) - 5), Charts.N(Y(p.Value) - 5))).ToList();
        // Values are written on the points only when the points stand far enough apart to read them; the table has them all.
        var gaps = points.Zip(points.Skip(1), (a, b) => X(b.Date) - X(a.Date)).ToList();
        ShowValues = !small && (gaps.Count == 0 || gaps.Min() >= 28);
        Line = points.Count > 1 ? string.Join(' ', Points.Select(p => $"{p.X},{p.Y}")) : null;

        Medians = analysis.Phases.Select(phase =>
        {
            var x1 = X(points[phase.FirstIndex].Date);
            var x2 = X(points[phase.LastIndex].Date);
            if (x2 - x1 < 12) { x1 -= 6; x2 += 6; }
            // The label goes past the line's end, clear of the points, unless that is the chart's right edge.
            var atEdge = x2 > Width - Right - 90;
            return new MedianLine(Charts.N(x1), Charts.N(x2), Charts.N(Y(phase.Median)), Charts.N(Y(phase.Median) + (atEdge ? -6 : 4)),
                $"Median {MeasureRules.Format(phase.Median, unit)}", phase.HasFewCrossings, Charts.N(atEdge ? x2 : x2 + 6), atEdge ? "end" : "start");
        }).ToList();

        Changes = changes.Select(c => new ChangeLine(Charts.N(X(c.Date)), Charts.Truncate(c.Label, small ? 16 : 28))).ToList();
        // A label near the right edge ends at its mark instead of running off the chart.
        string Anchor(DateOnly date) => X(date) > Width - Right - 60 ? "end" : "middle";
        Targets = interimTargets.Select(t => new TargetMark(Charts.N(X(t.Date)), Charts.N(Y(t.Value)), Charts.N(Y(t.Value) + 18),
                $"Target {MeasureRules.Format(t.Value, unit)}", false, Anchor(t.Date)))
            .Concat(endTarget is null ? [] : [new TargetMark(Charts.N(X(endTarget.Date)), Charts.N(Y(endTarget.Value)), Charts.N(Y(endTarget.Value) + 18),
                $"End target {MeasureRules.Format(endTarget.Value, unit)}", true, Anchor(endTarget.Date))]).ToList();
        Baseline = baseline is null ? null
            : new BaselineLine(Charts.N(Y(baseline.Value)), Charts.N(Y(baseline.Value) + 14), $"Baseline {MeasureRules.Format(baseline.Value, unit)}");

        static string Label(DateOnly date) => date.ToString("MMM yyyy", CultureInfo.InvariantCulture);
        DateLabels = dates.Count == 0 ? []
            : new[] { dates.Min(), dates.Max() }.Distinct().Select(d => new DateLabel(Charts.N(X(d)), Label(d))).ToList();
    }

    public bool Small { get; }
    public bool ShowValues { get; }
    public int AxisY { get; }
    public IReadOnlyList<Tick> Ticks { get; }
    public IReadOnlyList<Dot> Points { get; }
    public string? Line { get; }
    public IReadOnlyList<MedianLine> Medians { get; }
    public IReadOnlyList<ChangeLine> Changes { get; }
    public IReadOnlyList<TargetMark> Targets { get; }
    public BaselineLine? Baseline { get; }
    public IReadOnlyList<DateLabel> DateLabels { get; }

    public void WriteTo(TextWriter writer, HtmlEncoder encoder)
    {
        static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        var font = Small ? "10" : "12";
        var right = I(Width - Right);
        void Text(string text) => encoder.Encode(writer, text);
        void Write(params string[] parts) { foreach (var part in parts) writer.Write(part); }

        Write("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart run-chart\" viewBox=\"0 0 ", I(Width), " ",
            I(Height), "\" role=\"img\" aria-labelledby=\"");
        Text(Id);
        Write("-title\" preserveAspectRatio=\"xMinYMin meet\"><title id=\"");
        Text(Id);
        Write("-title\">");
        Text(Title);
        Write("</title>\n");
        var left = I(Left);
        var labelLeft = I(Left - 6);
        foreach (var tick in Ticks)
        {
            Write("<g><line x1=\"", left, "\" x2=\"", right, "\" y1=\"", tick.Y, "\" y2=\"", tick.Y, "\" stroke=\"#e9ecef\" /><text x=\"", labelLeft, "\" y=\"",
                tick.LabelY, "\" text-anchor=\"end\" font-size=\"", font, "\" fill=\"#495057\">");
            Text(tick.Label);
            Write("</text></g>\n");
        }
        var dateY = I(AxisY + 16);
        foreach (var label in DateLabels)
        {
            Write("<g><text x=\"", label.X, "\" y=\"", dateY, "\" text-anchor=\"middle\" font-size=\"", font, "\" fill=\"#495057\">");
            Text(label.Label);
            Write("</text></g>\n");
        }
        if (Baseline is { } baseline)
        {
            Write("<g class=\"run-chart-baseline\"><line x1=\"", left, "\" x2=\"", right, "\" y1=\"", baseline.Y, "\" y2=\"", baseline.Y,
                "\" stroke=\"#6c757d\" stroke-dasharray=\"2 4\" /><text x=\"", I(Left + 4), "\" y=\"", baseline.LabelY,
                "\" font-size=\"", font, "\" fill=\"#495057\">");
            Text(baseline.Label);
            Write("</text></g>\n");
        }
        var top = I(Top);
        var axis = I(AxisY);
        foreach (var change in Changes)
        {
            Write("<g class=\"run-chart-phase-change\"><line x1=\"", change.X, "\" x2=\"", change.X, "\" y1=\"", top, "\" y2=\"", axis,
                "\" stroke=\"#5b2a86\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" /><text x=\"", change.X, "\" y=\"",
                I(Top - 4), "\" text-anchor=\"middle\" font-size=\"", font, "\" fill=\"#5b2a86\">");
            Text(change.Label);
            Write("</text></g>\n");
        }
        foreach (var median in Medians)
        {
            Write("<g class=\"run-chart-median\"><line x1=\"", median.X1, "\" x2=\"", median.X2, "\" y1=\"", median.Y, "\" y2=\"", median.Y,
                "\" stroke=\"#0b5394\" stroke-width=\"", median.FewCrossings ? "3" : "1.5", "\" stroke-dasharray=\"8 4\" /><text x=\"", median.LabelX,
                "\" y=\"", median.LabelY, "\" text-anchor=\"", median.Anchor, "\" font-size=\"", font, "\" fill=\"#0b5394\">");
            Text(median.Label);
            Write("</text></g>\n");
        }
        if (Line is not null) Write("<polyline fill=\"none\" stroke=\"#212529\" stroke-width=\"1.5\" points=\"", Line, "\" />\n");
        foreach (var target in Targets)
        {
            Write("<g class=\"run-chart-target\"><path d=\"M ", target.X, " ", target.Y, " m -7 0 l 7 -7 l 7 7 l -7 7 z\" fill=\"", target.IsEnd ? "#2d6a2d" : "#ffffff",
                "\" stroke=\"#2d6a2d\" stroke-width=\"2\" /><text x=\"", target.X, "\" y=\"", target.LabelY, "\" text-anchor=\"", target.Anchor,
                "\" font-size=\"", font, "\" fill=\"#2d6a2d\">");
            Text(target.Label);
            Write("</text></g>\n");
        }
        foreach (var dot in Points)
        {
            Write(dot.InSignal ? "<g class=\"run-chart-point run-chart-signal\">" : "<g class=\"run-chart-point\">");
            if (dot.InSignal)
                Write("<rect x=\"", dot.SquareX, "\" y=\"", dot.SquareY, "\" width=\"10\" height=\"10\" fill=\"#b45309\" stroke=\"#7c2d12\" stroke-width=\"1.5\" />");
            else
                Write("<circle cx=\"", dot.X, "\" cy=\"", dot.Y, "\" r=\"4\" fill=\"#212529\" />");
            if (ShowValues)
            {
                Write("<text x=\"", dot.X, "\" y=\"", dot.LabelY, "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#212529\">");
                Text(dot.Label);
                Write("</text>");
            }
            Write("</g>\n");
        }
        Write("</svg>");
    }

    public sealed record Tick(string Y, string LabelY, string Label);

    /// <param name="InSignal">The point belongs to a run long enough to signal a shift.</param>
    /// <param name="SquareX">Left edge of the square a signalling point is drawn as.</param>
    public sealed record Dot(string X, string Y, string LabelY, string Label, bool InSignal, string SquareX, string SquareY);

    /// <param name="FewCrossings">The phase's points cross this median fewer times than chance would give.</param>
    public sealed record MedianLine(string X1, string X2, string Y, string LabelY, string Label, bool FewCrossings, string LabelX, string Anchor);

    public sealed record ChangeLine(string X, string Label);

    public sealed record TargetMark(string X, string Y, string LabelY, string Label, bool IsEnd, string Anchor);

    public sealed record BaselineLine(string Y, string LabelY, string Label);

    public sealed record DateLabel(string X, string Label);
}
