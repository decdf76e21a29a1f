using System.Security.Claims;
using MicipPlanner.Infrastructure.Data;

namespace MicipPlanner.Web.Mvc;

/// <summary>The signed-in person of the current request, for the audit trail.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public string? UserId => Seat?.UserId ?? accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? Via => Seat?.Via;

    // The save pipeline, and so this reader, is shared by every request: the seat is the current request's own.
    private ActingSeat? Seat => accessor.HttpContext?.RequestServices.GetService<ActingSeatScope>()?.Seat;
}

/// <summary>A workshop participant's request writes as their seat's account, and the audit trail says through which workshop.</summary>
public sealed record ActingSeat(string UserId, string Via);

/// <summary>
/// The seat the current request acts as, one per request: set when a participant's request is let in (the seat pages'
/// filter, joining), read by <see cref="HttpCurrentUser"/> when the request saves. Null for everyone else.
/// </summary>
public sealed class ActingSeatScope
{
    public ActingSeat? Seat { get; set; }
}
