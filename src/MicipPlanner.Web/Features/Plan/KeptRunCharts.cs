using MicipPlanner.Domain.Plan;
using Microsoft.Extensions.Caching.Memory;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// A measure's district-wide run chart as laid out, with what the meeting shows of it besides (the interim targets, the
/// phase changes, and the district-wide points its target check is made from), and the two numbers it was drawn under.
/// </summary>
public sealed record KeptRunChart(Guid MeasureVersion, long ChartVersion, MeasureChartView? Chart, IReadOnlyList<MeasureTarget> InterimTargets,
    IReadOnlyList<MeasureChangeView> Changes, IReadOnlyList<MeasurePoint> DistrictPoints, bool HasBuildingValues);

/// <summary>
/// The meeting page's run charts kept between reads (ADR 29). Every open meeting screen reads the page again after each
/// save in the district, and the commonest save at a meeting, a check-in, changes no chart. A chart is used again only
/// while its measure's version and chart version, both read from the database with the measure on every request, are
/// those it was drawn under, so a value saved on another web server shows on the next read. What is kept is the same for
/// every reader who may see the measure and does not depend on the date (the target check is made on each read).
/// </summary>
public sealed class KeptRunCharts : IDisposable
{
    /// <summary>At most this many charts are kept; the least recently used go first (a chart is a few kilobytes).</summary>
    public const int MaxCharts = 4096;

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) };

    private readonly MemoryCache charts = new(new MemoryCacheOptions { SizeLimit = MaxCharts });

    /// <summary>The measure's kept chart, or null when none is kept under these numbers.</summary>
    public KeptRunChart? Find(int measureId, Guid measureVersion, long chartVersion) =>
        charts.TryGetValue(measureId, out KeptRunChart? kept) && kept!.MeasureVersion == measureVersion && kept.ChartVersion == chartVersion
            ? kept
            : null;

    public void Keep(int measureId, KeptRunChart chart) => charts.Set(measureId, chart, Entry);

    public void Dispose() => charts.Dispose();
}
