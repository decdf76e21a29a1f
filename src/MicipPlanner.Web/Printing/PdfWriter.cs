using MicipPlanner.Infrastructure.Pdf;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Printing;

/// <summary>The friendly page when a PDF cannot be made (Features/Shared/PdfUnavailable.cshtml).</summary>
public sealed record PdfUnavailableModel(string Heading, string Message, string PrintUrl, bool NoBrowser);

/// <summary>Turns an HTML document (a handout, the desk, a network page, a report) into a PDF response, or a friendly 503 page when that is not possible.</summary>
public class PdfWriter(IPdfRenderer renderer, ILogger<PdfWriter> logger)
{
    public const string UnavailableView = "PdfUnavailable";

    /// <summary>Prints any HTML document to a PDF response, or the friendly 503 page.</summary>
    public Task<IActionResult> ResultAsync(Controller controller, Func<CancellationToken, Task<string>> html, bool landscape, string fileName,
        string printUrl, bool isPrivate) =>
        FileAsync(controller, cancellationToken => renderer.RenderAsync(html, new PdfPrintOptions(landscape), cancellationToken), "application/pdf",
            "inline", fileName, printUrl, isPrivate);

    /// <summary>
    /// Any file the browser helps make (a PDF, or a Word document whose charts it draws) as a response, with the same
    /// friendly 503 page when there is no browser, it is busy or it takes too long.
    /// </summary>
    public async Task<IActionResult> FileAsync(Controller controller, Func<CancellationToken, Task<byte[]>> make, string contentType, string disposition,
        string fileName, string printUrl, bool isPrivate)
    {
        var response = controller.Response;
        if (!renderer.IsAvailable)
            return Unavailable(controller, new PdfUnavailableModel("PDF download is not available on this server",
                "This server has no Chromium browser installed, so it cannot print PDFs. The print view has the same content: open it and use your browser's Print command (choose “Save as PDF” to keep a file).",
                printUrl, NoBrowser: true));
        try
        {
            var file = await make(controller.HttpContext.RequestAborted);
            response.Headers.CacheControl = isPrivate ? "private, no-store" : "public, max-age=300";
            response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue(disposition) { FileNameStar = fileName }.ToString();
            return controller.File(file, contentType);
        }
        catch (PdfTimeoutException ex)
        {
            logger.LogWarning("PDF {File} failed: {Message}", fileName, ex.Message);
            return Unavailable(controller, new PdfUnavailableModel("The PDF took too long to make",
                ex.Message + " Try again in a moment, or open the print view and print it from your browser.", printUrl, NoBrowser: false));
        }
        catch (PdfBusyException ex)
        {
            logger.LogWarning("PDF {File} failed: {Message}", fileName, ex.Message);
            response.Headers.RetryAfter = "10";
            return Unavailable(controller, new PdfUnavailableModel("The server is busy printing PDFs",
                ex.Message + " Try again in a few seconds, or open the print view and print it from your browser.", printUrl, NoBrowser: false));
        }
        catch (PdfUnavailableException ex)
        {
            return Unavailable(controller, new PdfUnavailableModel("PDF download is not available on this server", ex.Message, printUrl, NoBrowser: true));
        }
    }

    private static ViewResult Unavailable(Controller controller, PdfUnavailableModel model)
    {
        controller.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        controller.Response.Headers.CacheControl = "no-store";
        return controller.View(UnavailableView, model);
    }
}

/// <summary>Prints a page's own print view (a Razor view that is a whole HTML document, named as in its controller's View(…)).</summary>
public sealed class PagePdfWriter(ViewHtmlRenderer views, PdfWriter pdf)
{
    public Task<IActionResult> ResultAsync(Controller controller, string view, object model, bool landscape, string fileName, string printUrl) =>
        pdf.ResultAsync(controller, _ => views.RenderAsync(controller.ControllerContext, view, model), landscape, fileName, printUrl, isPrivate: true);
}
