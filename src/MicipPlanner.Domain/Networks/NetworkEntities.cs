using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Networks;

/// <summary>
/// A network of districts that learn from each other (a cooperative, a community of practice, an improvement
/// network). Districts are added by an administrator; a district's results count only while its key leader
/// shares them (<see cref="Organisation.District.SharesWithNetworks"/>).
/// </summary>
public class Network : Entity
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>The facilitator who coordinates the network, if any.</summary>
    public string? CoordinatorUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<NetworkMembership> Members { get; set; } = [];
}

/// <summary>A district on a network's list (it contributes only while it shares its results).</summary>
public class NetworkMembership : Entity, IDistrictOwned
{
    public int NetworkId { get; set; }
    public int DistrictId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>
/// A short note a district shares about a finalized rubric row ("what helped us move from Developing to Evolving"),
/// shown in the practice library of every network the district shares with, named or anonymous.
/// </summary>
public class PracticeNote : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string RowKey { get; set; } = "";

    /// <summary>The district's finalized consensus level on the row when the note was shared.</summary>
    public int Level { get; set; }

    public string Text { get; set; } = "";

    /// <summary>Who other districts may ask, as a role ("Director of curriculum"); never a person's name or address.</summary>
    public string ContactRole { get; set; } = "";

    /// <summary>When false the note shows the district's name; when true only "a network district".</summary>
    public bool IsAnonymous { get; set; }

    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// True while a district team member's note waits for the key leader to publish it; a proposal is seen only inside
    /// the district, never on a network page.
    /// </summary>
    public bool IsProposal { get; set; }

    /// <summary>Set when the district withdraws the note: it disappears from every network at once.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    /// <summary>
    /// The finished PDSA cycle whose learning the note shares, or null for a note on a rubric row. Kept as a plain
    /// reference, not a foreign key: the note stands on its own once shared, and a second cascade path from the cycle is
    /// refused by SQL Server.
    /// </summary>
    public int? SourcePdsaCycleId { get; set; }

    public const int MaxTextLength = 2000;
    public const int MaxContactRoleLength = 200;
}

/// <summary>
/// The benchmarks a network's readers see, as last published (<see cref="BenchmarkPublishing"/>, ADR 13): per figure, its
/// status and the numbers shown, with the districts they count. One row per network, replaced by each publication, so
/// every server shows the same figures and builds the next publication on the same one.
/// </summary>
/// <remarks>
/// Not a record anyone edits: it follows from the districts' finalized consensus. So it has no version token of its own
/// and writes no audit entries, which would copy the contributor lists into the audit trail.
/// </remarks>
public class BenchmarkSnapshot
{
    public int Id { get; set; }
    public int NetworkId { get; set; }

    /// <summary>
    /// How many times the network's figures have been published. A publication replaces the row only while it still holds
    /// the one it was computed from, so two servers cannot both build on the same publication.
    /// </summary>
    public int Sequence { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>The network's figures version when published: a save that changes what the figures count raises it.</summary>
    public long FiguresVersion { get; set; }

    /// <summary>The first school year the figures cover (they cover <c>NetworkQuery.YearsShown</c> years).</summary>
    public int FirstYear { get; set; }

    /// <summary>How many districts were on the network and sharing when published.</summary>
    public int SharingDistricts { get; set; }

    public IReadOnlyList<PublishedFigure> Figures { get; set; } = [];
}
