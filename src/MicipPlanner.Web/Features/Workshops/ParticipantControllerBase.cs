using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// Base of the participant controllers of workshop mode (the pages and the autosave): the seat of the participant cookie,
/// taken by <see cref="SeatPageAttribute"/> before an action runs, as a district page's district is by <c>[CyclePage]</c>.
/// </summary>
public abstract class ParticipantControllerBase : Controller
{
    protected const string ClosedView = "Closed";

    internal static readonly ClosedPage Ended = new("This workshop has ended",
        "Thank you for taking part. Everything the groups entered is kept in the district's work. To join another workshop, go to the join page and type its code.");

    private Seat? _seat;

    /// <summary>The seat of the request, taken by <see cref="SeatPageAttribute"/> before the action runs.</summary>
    protected Seat CurrentSeat => _seat ?? throw new InvalidOperationException("The action has no [SeatPage].");

    /// <summary>Hands the action the seat <see cref="SeatPageAttribute"/> let in.</summary>
    internal void Take(Seat seat) => _seat = seat;

    /// <summary>The page a participant sees when the workshop is closed to them.</summary>
    internal ViewResult Closed(ClosedPage page) => View(ClosedView, page);
}
