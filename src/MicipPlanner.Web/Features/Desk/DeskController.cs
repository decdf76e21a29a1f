using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Printing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Desk;

/// <summary>
/// The facilitator's desk: every district on the person's desk at a glance and one review queue across them. The queue's
/// return and accept buttons post to the template workflow of Maintaining Balance (the same checks, audit and notices).
/// </summary>
[Authorize]
public sealed class DeskController(DeskQuery desk, PagePdfWriter pdf) : Controller
{
    // By path: the facilitator's home page (HomeController) is this view too.
    public const string IndexView = "~/Features/Desk/Index.cshtml";
    public const string PrintView = "Print";

    [HttpGet("/desk")]
    public async Task<IActionResult> Index(string? sort)
    {
        var page = await LoadAsync(sort);
        return page is null ? StatusCode(StatusCodes.Status403Forbidden) : View(IndexView, page);
    }

    [HttpGet("/desk.pdf")]
    public async Task<IActionResult> Pdf(string? sort)
    {
        var page = await LoadAsync(sort);
        if (page is null) return StatusCode(StatusCodes.Status403Forbidden);
        return await pdf.ResultAsync(this, PrintView, page with { ForPrint = true }, landscape: true, "facilitators-desk.pdf", Url.Action(nameof(Index))!);
    }

    /// <summary>Null when the person has no desk: not an administrator or facilitator, and key leader of no district.</summary>
    private async Task<DeskPage?> LoadAsync(string? sort)
    {
        var isFacilitator = User.IsInRole(AppRoles.Facilitator);
        var page = await desk.LoadAsync(sort, isFacilitator, HttpContext.RequestAborted);
        return page.IsAdmin || isFacilitator || page.Rows.Count > 0 ? page : null;
    }
}
