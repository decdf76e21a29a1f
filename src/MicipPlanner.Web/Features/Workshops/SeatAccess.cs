using System.Globalization;
using System.Security.Claims;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>A controller of participant actions: <see cref="SeatPageAttribute"/> takes the request's seat through it.</summary>
public interface ISeatController
{
    /// <summary>Takes the seat of the participant cookie for the action; what to answer instead when there is none to take.</summary>
    Task<IActionResult?> TakeSeatAsync(bool json);
}

/// <summary>The seat of a participant request, shared by the controllers of workshop mode's participant side.</summary>
internal static class SeatAccess
{
    private const string ClosedView = "~/Features/Workshops/Closed.cshtml";

    public static readonly ClosedPage Ended = new("This workshop has ended",
        "Thank you for taking part. Everything the groups entered is kept in the district's work. To join another workshop, go to the join page and type its code.");

    /// <summary>
    /// The seat of the participant cookie, or what to answer instead: no seat → back to /join; removed → 403;
    /// workshop ended or expired → 410. Sets who the request writes as.
    /// </summary>
    public static async Task<(Seat? Seat, IActionResult? Refusal)> TakeAsync(Controller controller, AppDbContext db, TimeProvider clock, bool json)
    {
        var http = controller.HttpContext;
        var auth = await http.AuthenticateAsync(ParticipantCookie.Scheme);
        var claim = auth.Succeeded ? auth.Principal.FindFirstValue(ParticipantCookie.ParticipantClaim) : null;
        if (!int.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var participantId))
            return (null, json ? NotJoined(controller) : ToJoinPage(controller));
        var seat = await JoinController.SeatOf(db, participantId);
        if (seat is null) return (null, json ? NotJoined(controller) : ToJoinPage(controller));
        if (seat.Removed)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return (null, json ? controller.Refused(StatusCodes.Status403Forbidden, "Removed from the workshop", "The facilitator removed you from this workshop.", ("removed", true))
                : controller.View(ClosedView, new ClosedPage("You are no longer part of this workshop", "The facilitator removed you from this workshop. What you entered stays in the district's work.")));
        }
        if (!seat.IsOpenAt(clock.GetUtcNow()))
        {
            http.Response.StatusCode = StatusCodes.Status410Gone;
            return (null, json ? controller.Refused(StatusCodes.Status410Gone, "The workshop has ended", Ended.Message, ("ended", true)) : controller.View(ClosedView, Ended));
        }
        http.Items[HttpCurrentUser.ActingSeatKey] = new ActingSeat(seat.UserId, Domain.Workshops.WorkshopRules.AuditVia(seat.Code));
        return (seat, null);
    }

    private static IActionResult ToJoinPage(Controller controller) => controller.RedirectToAction(nameof(JoinController.Index), "Join");

    private static IActionResult NotJoined(Controller controller) =>
        controller.Refused(StatusCodes.Status401Unauthorized, "Not joined", "Join the workshop with its code first.", ("joined", false));
}
