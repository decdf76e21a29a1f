using System.Security.Claims;
using MicipPlanner.Infrastructure.Data;

namespace MicipPlanner.Web.Mvc;

/// <summary>The signed-in person of the current request, for the audit trail.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    /// <summary>Key under <see cref="HttpContext.Items"/> of the <see cref="ActingSeat"/> a workshop participant's request acts as.</summary>
    public const string ActingSeatKey = "micip.acting-seat";

    public string? UserId => Seat?.UserId ?? accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? Via => Seat?.Via;

    private ActingSeat? Seat => accessor.HttpContext?.Items[ActingSeatKey] as ActingSeat;
}

/// <summary>A workshop participant's request writes as their seat's account, and the audit trail says through which workshop.</summary>
public sealed record ActingSeat(string UserId, string Via);
