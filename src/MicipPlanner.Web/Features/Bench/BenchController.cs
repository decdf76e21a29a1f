using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Bench;

/// <summary>
/// Floors for the load benchmark, present only when the configuration switch Bench:Enabled is true (otherwise 404):
/// the baseline, an authenticated MVC action rendering a one-line view with no database access (the framework's
/// floor), and the layout floor, the same line inside the app's page layout (what every full page costs at least).
/// </summary>
[Route("bench")]
public sealed class BenchController(IConfiguration configuration) : Controller
{
    [HttpGet("baseline")]
    public IActionResult Baseline() => Floor("Baseline");

    [HttpGet("layout")]
    public IActionResult LayoutFloor() => Floor("LayoutFloor");

    /// <summary>How much the JIT compiler has done so far: the harness warms up until it has stopped recompiling hot code.</summary>
    [HttpGet("jit")]
    public IActionResult Jit() => Refused() ?? Json(new { methods = System.Runtime.JitInfo.GetCompiledMethodCount(), compilationMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds });

    private IActionResult Floor(string view) => Refused() ?? View(view);

    /// <summary>404 outside the benchmark configuration; a sign-in first for anyone not signed in.</summary>
    private IActionResult? Refused() =>
        !configuration.GetValue<bool>("Bench:Enabled") ? NotFound()
        : User.Identity?.IsAuthenticated != true ? Challenge()
        : null;
}
