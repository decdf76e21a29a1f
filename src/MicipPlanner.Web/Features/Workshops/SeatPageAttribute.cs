using System.Globalization;
using System.Security.Claims;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// A participant action of workshop mode, as <c>[CyclePage]</c> is a district page: before the action runs, the seat of
/// the participant cookie is taken (the action starts from <c>CurrentSeat</c>), or the request is answered instead — no
/// seat: back to the join page (401 for a script); removed: 403; workshop ended: 410. Runs before the action, so those
/// come before a refused form's answer.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SeatPageAttribute : TypeFilterAttribute
{
    public SeatPageAttribute() : base(typeof(SeatPageFilter)) => Arguments = [false];

    /// <summary>Refusals are always answered as problems (a script's poll or autosave), never as a page.</summary>
    public bool Json
    {
        get => (bool)Arguments![0];
        init => Arguments = [value];
    }
}

/// <summary>What <see cref="SeatPageAttribute"/> does, with the request's services.</summary>
internal sealed class SeatPageFilter(bool json, AppDbContext db, TimeProvider clock, ActingSeatScope acting) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var controller = context.Controller as ParticipantControllerBase
            ?? throw new InvalidOperationException("[SeatPage] is for the participant actions of workshop mode.");
        var (seat, refusal) = await SeatAsync(controller);
        if (seat is null)
        {
            context.Result = refusal;
            return;
        }
        controller.Take(seat);
        // The request writes as the seat's account, and the audit trail names the workshop.
        acting.Seat = new ActingSeat(seat.UserId, WorkshopRules.AuditVia(seat.Code));
        await next();
    }

    /// <summary>
    /// The seat of the participant cookie, or what to answer instead: no seat → back to /join; removed → 403;
    /// workshop ended or expired → 410.
    /// </summary>
    private async Task<(Seat? Seat, IActionResult? Refusal)> SeatAsync(ParticipantControllerBase controller)
    {
        var http = controller.HttpContext;
        var auth = await http.AuthenticateAsync(ParticipantCookie.Scheme);
        var claim = auth.Succeeded ? auth.Principal.FindFirstValue(ParticipantCookie.ParticipantClaim) : null;
        var seat = int.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var participantId)
            ? await JoinController.SeatOf(db, participantId)
            : null;
        if (seat is null) return (null, json ? NotJoined(controller) : controller.RedirectToAction(nameof(JoinController.Index), "Join"));
        if (seat.Removed)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return (null, json ? controller.Refused(StatusCodes.Status403Forbidden, "Removed from the workshop", "The facilitator removed you from this workshop.", ("removed", true))
                : controller.Closed(new ClosedPage("You are no longer part of this workshop", "The facilitator removed you from this workshop. What you entered stays in the district's work.")));
        }
        if (!seat.IsOpenAt(clock.GetUtcNow()))
        {
            http.Response.StatusCode = StatusCodes.Status410Gone;
            var ended = ParticipantControllerBase.Ended;
            return (null, json ? controller.Refused(StatusCodes.Status410Gone, "The workshop has ended", ended.Message, ("ended", true))
                : controller.Closed(ended));
        }
        return (seat, null);
    }

    private static IActionResult NotJoined(ControllerBase controller) =>
        controller.Refused(StatusCodes.Status401Unauthorized, "Not joined", "Join the workshop with its code first.", ("joined", false));
}
