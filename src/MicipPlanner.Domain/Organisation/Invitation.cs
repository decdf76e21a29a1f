using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Organisation;

/// <summary>An invitation to join a district team, a building team, or to facilitate a district.</summary>
public class Invitation : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int? BuildingId { get; set; }
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";

    /// <summary>Team role offered; null when the person is invited as the district's facilitator.</summary>
    public TeamRole? Role { get; set; }
    public bool AsFacilitator { get; set; }

    /// <summary>SHA-256 of the secret token in the link; the token itself is never stored.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string InvitedByUserId { get; set; } = "";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    public InvitationState StateAt(DateTimeOffset now) =>
        AcceptedAt is not null ? InvitationState.Accepted
        : now >= ExpiresAt ? InvitationState.Expired
        : InvitationState.Pending;

    /// <summary>Marks the invitation used; a link works once and only before it expires.</summary>
    public void Accept(DateTimeOffset now)
    {
        switch (StateAt(now))
        {
            case InvitationState.Accepted: throw new DomainRuleException("This invitation has already been used.");
            case InvitationState.Expired: throw new DomainRuleException("This invitation has expired.");
        }
        AcceptedAt = now;
    }
}

public enum InvitationState { Pending, Accepted, Expired }
