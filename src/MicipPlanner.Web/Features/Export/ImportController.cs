using MicipPlanner.Infrastructure.Data.Backup;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Export;

public sealed record ImportPageModel(string? Error, DistrictArchive.ImportResult? Result);

/// <summary>Administrators restore a district from its JSON export (the same as --import-district).</summary>
[Authorize(Roles = AppRoles.Admin)]
[Route("admin/import")]
public sealed class ImportController(DistrictArchive archive) : Controller
{
    public const long MaxFileBytes = 200 * 1024 * 1024;

    [HttpGet("")]
    public IActionResult Index() => View("Import", new ImportPageModel(null, null));

    [HttpPost("")]
    [RequestSizeLimit(MaxFileBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxFileBytes)]
    public async Task<IActionResult> Upload(IFormFile? file)
    {
        if (file is null || file.Length == 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Import", new ImportPageModel("Choose the export file (.json) to restore.", null));
        }
        try
        {
            await using var stream = file.OpenReadStream();
            var result = await archive.ImportAsync(stream, HttpContext.RequestAborted);
            return View("Import", new ImportPageModel(null, result));
        }
        catch (ImportException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Import", new ImportPageModel($"Nothing was imported: {ex.Message}", null));
        }
    }
}
