using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Bench;

/// <summary>
/// The framework's floor for the load benchmark: an authenticated MVC action rendering a one-line view with
/// no database access. It exists only when the configuration switch Bench:Enabled is true; otherwise 404.
/// </summary>
[Route("bench")]
public sealed class BenchController(IConfiguration configuration) : Controller
{
    [HttpGet("baseline")]
    public IActionResult Baseline()
    {
        if (!configuration.GetValue<bool>("Bench:Enabled")) return NotFound();
        if (User.Identity?.IsAuthenticated != true) return Challenge();
        return View();
    }
}
