using System.Globalization;
using System.Security.Claims;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// Base of the participant controllers of workshop mode (the pages and the autosave): the seat of the participant cookie,
/// taken by <see cref="SeatPageAttribute"/> before an action runs, as a district page's district is by <c>[CyclePage]</c>.
/// </summary>
public abstract class ParticipantControllerBase : Controller
{
    protected const string ClosedView = "Closed";

    protected static readonly ClosedPage Ended = new("This workshop has ended",
        "Thank you for taking part. Everything the groups entered is kept in the district's work. To join another workshop, go to the join page and type its code.");

    private Seat? _seat;

    /// <summary>The seat of the request, taken by <see cref="SeatPageAttribute"/> before the action runs.</summary>
    protected Seat CurrentSeat => _seat ?? throw new InvalidOperationException("The action has no [SeatPage].");

    /// <summary>Takes the seat of the participant cookie for the action; what to answer instead when there is none to take.</summary>
    internal async Task<IActionResult?> TakeSeatAsync(bool json)
    {
        (_seat, var refusal) = await SeatAsync(json);
        return refusal;
    }

    /// <summary>
    /// The seat of the participant cookie, or what to answer instead: no seat → back to /join; removed → 403;
    /// workshop ended or expired → 410. Sets who the request writes as.
    /// </summary>
    private async Task<(Seat? Seat, IActionResult? Refusal)> SeatAsync(bool json)
    {
        var auth = await HttpContext.AuthenticateAsync(ParticipantCookie.Scheme);
        var claim = auth.Succeeded ? auth.Principal.FindFirstValue(ParticipantCookie.ParticipantClaim) : null;
        if (!int.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var participantId))
            return (null, json ? NotJoined() : RedirectToAction(nameof(JoinController.Index), "Join"));
        var seat = await JoinController.SeatOf(HttpContext.RequestServices.GetRequiredService<AppDbContext>(), participantId);
        if (seat is null) return (null, json ? NotJoined() : RedirectToAction(nameof(JoinController.Index), "Join"));
        if (seat.Removed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return (null, json ? this.Refused(StatusCodes.Status403Forbidden, "Removed from the workshop", "The facilitator removed you from this workshop.", ("removed", true))
                : View(ClosedView, new ClosedPage("You are no longer part of this workshop", "The facilitator removed you from this workshop. What you entered stays in the district's work.")));
        }
        if (!seat.IsOpenAt(HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()))
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return (null, json ? this.Refused(StatusCodes.Status410Gone, "The workshop has ended", Ended.Message, ("ended", true)) : View(ClosedView, Ended));
        }
        HttpContext.Items[HttpCurrentUser.ActingSeatKey] = new ActingSeat(seat.UserId, WorkshopRules.AuditVia(seat.Code));
        return (seat, null);
    }

    private IActionResult NotJoined() =>
        this.Refused(StatusCodes.Status401Unauthorized, "Not joined", "Join the workshop with its code first.", ("joined", false));
}
