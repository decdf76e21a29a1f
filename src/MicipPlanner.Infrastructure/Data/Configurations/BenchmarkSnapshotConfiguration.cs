using System.Text.Json;
using System.Text.Json.Serialization;
using MicipPlanner.Domain.Networks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class BenchmarkSnapshotConfiguration : IEntityTypeConfiguration<BenchmarkSnapshot>
{
    public void Configure(EntityTypeBuilder<BenchmarkSnapshot> b)
    {
        b.Property(x => x.Sequence).IsConcurrencyToken();
        b.HasOne<Network>().WithOne().HasForeignKey<BenchmarkSnapshot>(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.NetworkId).IsUnique();
        // The figures are read and written whole, never queried: one JSON text. A publication sets a new list and never
        // changes one, so comparing references is enough to see it changed.
        b.Property(x => x.Figures).IsRequired().HasConversion(
            figures => StoredFigures.Write(figures),
            json => StoredFigures.Read(json),
            new ValueComparer<IReadOnlyList<PublishedFigure>>((x, y) => ReferenceEquals(x, y), figures => figures.Count, figures => figures));
    }
}

/// <summary>
/// The figures of a snapshot as JSON: per figure its status and, for the numbers last shown, the counts per level, the
/// districts counted and when each finalized (two parallel arrays keep a statewide network's lists short).
/// </summary>
internal static class StoredFigures
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Figure(string Row, int Year, FigureStatus Status, int Contributing, Shown? Shown);

    private sealed record Shown(int[] Counts, int[] Districts, long[] Finalized, DateTimeOffset PublishedAt);

    public static string Write(IReadOnlyList<PublishedFigure> figures) => JsonSerializer.Serialize(figures.Select(f => new Figure(f.RowKey, f.StartYear, f.Status,
        f.Contributing, f.LastShown is not { } shown ? null : new Shown([.. shown.Counts], [.. shown.Contributors.Select(c => c.DistrictId)],
            [.. shown.Contributors.Select(c => c.FinalizedTicks)], shown.PublishedAt))).ToList(), Json);

    public static IReadOnlyList<PublishedFigure> Read(string json) =>
        (JsonSerializer.Deserialize<List<Figure>>(json, Json) ?? []).Select(f => new PublishedFigure(f.Row, f.Year, f.Status, f.Contributing,
            f.Shown is not { } shown ? null : new FigurePublication(shown.Counts,
                shown.Districts.Zip(shown.Finalized, (d, t) => new BenchmarkContributor(d, t)).ToList(), shown.PublishedAt))).ToList();
}
