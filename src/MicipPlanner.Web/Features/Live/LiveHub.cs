using System.Globalization;
using System.Security.Claims;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Workshops;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Live;

/// <summary>
/// Live updates by push. A signed-in person's page asks to watch its district (and cycle); the hub asks
/// <see cref="DistrictAccessService"/> as the district pages do and adds the connection to the district's group, or
/// refuses. A workshop seat watches nothing but its own group "seat:{id}", joined on connecting: <see cref="LivePublisher"/>
/// addresses the seats of the district's running workshops one by one, read afresh for every message, so a removed seat
/// or an ended workshop hears nothing more.
/// Messages say only "the district's data changed, its version is now V"; the page fetches what changed through its
/// own endpoints, which check permissions and conflicts as before. Two kinds of page are handed what changed instead,
/// as they show it: a seat its group's ratings, a presenter view its heat map's rows (<see cref="Present"/>).
/// </summary>
[Authorize(Policy = LiveSetup.Policy)]
public sealed class LiveHub(IServiceProvider services, AppDbContext db, TimeProvider clock) : Hub
{
    public static string DistrictGroup(int districtId) => "district:" + districtId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A seat's own group. Seats are addressed by group rather than as users: the framework finds a group's connections
    /// by its name, but a user's by looking at every connection of the instance, which at thousands of seats cost more
    /// than the rest of a save's publishing.
    /// </summary>
    public static string SeatGroup(int participantId) => "seat:" + participantId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A seat of a running workshop, or a signed-in person; anything else is closed at once.</summary>
    public override async Task OnConnectedAsync()
    {
        if (ParticipantId(Context.User) is { } participantId && Context.User?.FindFirstValue(ClaimTypes.NameIdentifier) is null)
        {
            var seat = await JoinController.SeatOf(db, participantId);
            if (seat is null || !seat.IsActiveAt(clock.GetUtcNow()))
            {
                Context.Abort();
                return;
            }
        }
        if (ParticipantId(Context.User) is { } seatId) await Groups.AddToGroupAsync(Context.ConnectionId, SeatGroup(seatId), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Joins the district's group when the signed-in person may open the district's pages (and the cycle is the
    /// district's, when named). Answers false, joining nothing, otherwise: another district, no access, a seat.
    /// </summary>
    public async Task<bool> Watch(int districtId, int? cycleId)
    {
        if (SignedInAccess() is not { } access) return false;
        var allowed = cycleId is { } cycle
            ? await access.LoadCycleAsync(districtId, cycle, Context.ConnectionAborted) is not null
            : await access.LoadAsync(districtId, Context.ConnectionAborted) is not null;
        if (!allowed) return false;
        await Groups.AddToGroupAsync(Context.ConnectionId, DistrictGroup(districtId), Context.ConnectionAborted);
        return true;
    }

    /// <summary>
    /// The presenter view of a workshop: joins the district's group as <see cref="Watch"/> does, and the workshop's
    /// presenter group, which hears the heat map's changed rows whole (<see cref="LivePublisher.Tally"/>), when the person
    /// may run the cycle's workshops (the presenter page's own rule) and the workshop is the cycle's. Answers false,
    /// joining nothing, otherwise.
    /// </summary>
    public async Task<bool> Present(int districtId, int cycleId, int workshopId)
    {
        if (SignedInAccess() is not { } access) return false;
        var cycle = await access.LoadCycleAsync(districtId, cycleId, Context.ConnectionAborted);
        if (cycle is null || !cycle.Permissions.Grant(Permission.RunWorkshop)
            || !await db.Workshops.AnyAsync(w => w.Id == workshopId && w.CycleId == cycleId && w.DistrictId == districtId, Context.ConnectionAborted))
            return false;
        await Groups.AddToGroupAsync(Context.ConnectionId, DistrictGroup(districtId), Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, PresenterGroup(workshopId), Context.ConnectionAborted);
        return true;
    }

    /// <summary>The presenter views of a workshop.</summary>
    public static string PresenterGroup(int workshopId) => "presenter:" + workshopId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The district pages' access service for the connection's signed-in person (it reads the connection's user instead
    /// of a request's); null for a seat or a connection without its request.
    /// </summary>
    private DistrictAccessService? SignedInAccess()
    {
        var http = Context.GetHttpContext();
        if (http is null || Context.User?.FindFirstValue(ClaimTypes.NameIdentifier) is null) return null;
        return new DistrictAccessService(services, new ConnectionHttpContext(http));
    }

    internal static int? ParticipantId(ClaimsPrincipal? user) =>
        int.TryParse(user?.FindFirstValue(ParticipantCookie.ParticipantClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The connection's own request (and so its user), for services written for a request.</summary>
    private sealed class ConnectionHttpContext(HttpContext context) : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get => context; set { } }
    }
}
