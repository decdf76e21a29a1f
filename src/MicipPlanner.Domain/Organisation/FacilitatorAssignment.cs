using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Organisation;

/// <summary>A facilitator (ISD consultant, network coach) serving a district.</summary>
public class FacilitatorAssignment : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public string UserId { get; set; } = "";
    public DateTimeOffset AssignedAt { get; set; }
}
