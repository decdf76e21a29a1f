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

    public const int MaxTextLength = 2000;
    public const int MaxContactRoleLength = 200;
}
