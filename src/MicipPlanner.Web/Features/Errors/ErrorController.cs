using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Errors;

/// <summary>Friendly error pages with a correlation id to quote to support.</summary>
[AllowAnonymous, ApiExplorerSettings(IgnoreApi = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorController(ILogger<ErrorController> logger) : Controller
{
    [Route("/error/{statusCode:int?}")]
    public IActionResult Error(int? statusCode)
    {
        // The re-executed request still carries the original form, which can defeat binding of the route
        // value: the original status is taken from the re-execute feature first.
        var code = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode ?? statusCode ?? StatusCodes.Status500InternalServerError;
        // The trace id is also on every log line of the request (scope TraceId), so the reference finds them all.
        var correlationId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        if (code >= 500 && HttpContext.Features.Get<IExceptionHandlerPathFeature>() is { } failure)
            logger.LogError(failure.Error, "Unhandled error on {Path}; correlation id {CorrelationId}", failure.Path, correlationId);
        Response.StatusCode = code;
        return View("Error", new ErrorViewModel(code, correlationId));
    }
}
