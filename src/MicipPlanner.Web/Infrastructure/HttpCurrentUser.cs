using System.Security.Claims;
using MicipPlanner.Infrastructure.Data;

namespace MicipPlanner.Web.Infrastructure;

/// <summary>The signed-in person of the current request, for the audit trail.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public string? UserId => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);
}
