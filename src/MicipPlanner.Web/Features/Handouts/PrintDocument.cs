using System.Globalization;
using System.Text;
using MicipPlanner.Infrastructure.Pdf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace MicipPlanner.Web.Features.Handouts;

/// <summary>Renders a Razor view to an HTML string on the server (for the PDF printer).</summary>
public sealed class ViewHtmlRenderer(ICompositeViewEngine engine, ITempDataProvider tempData, IModelMetadataProvider metadata)
{
    public async Task<string> RenderAsync(ActionContext context, string viewPath, object model)
    {
        var found = engine.GetView(executingFilePath: null, viewPath, isMainPage: true);
        if (!found.Success) throw new InvalidOperationException($"View {viewPath} not found.");
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var viewData = new ViewDataDictionary(metadata, new ModelStateDictionary()) { Model = model };
        var viewContext = new ViewContext(context, found.View, viewData, new TempDataDictionary(context.HttpContext, tempData), writer, new HtmlHelperOptions());
        await found.View.RenderAsync(viewContext);
        return writer.ToString();
    }
}

/// <summary>
/// The print style sheet (wwwroot/css/print.css), read once, plus the per-document page rules the
/// PDF needs: a named page per section for its orientation and its footer (handout name, district,
/// "Page X of Y") and the source credit on every page.
/// </summary>
public sealed class PrintStyles(IWebHostEnvironment environment)
{
    public const string Credit = "Source: MICIP toolkit by the Michigan Continuous Systems Improvement team, Michigan Department of Education";
    private string? _css;

    public string BaseCss => _css ??= Read();

    private string Read()
    {
        var file = environment.WebRootFileProvider.GetFileInfo("css/print.css");
        if (!file.Exists) throw new FileNotFoundException("The print style sheet css/print.css is missing from wwwroot.");
        using var reader = new StreamReader(file.CreateReadStream());
        return reader.ReadToEnd();
    }

    /// <summary>Everything inside the document's &lt;style&gt; element when printing to PDF.</summary>
    public string ForDocument(HandoutDocument document)
    {
        var css = new StringBuilder(BaseCss);
        css.Append('\n');
        for (var i = 0; i < document.Sections.Count; i++)
        {
            var section = document.Sections[i];
            var page = $"p{i}";
            css.Append(CultureInfo.InvariantCulture, $"#sec-{i} {{ page: {page}; }}\n");
            css.Append(CultureInfo.InvariantCulture, $"@page {page} {{ size: letter {(section.Info.Landscape ? "landscape" : "portrait")}; ");
            css.Append(CultureInfo.InvariantCulture, $"@bottom-left {{ content: {Quote(section.Footer(document.Filled))}; }} }}\n");
        }
        if (document.HasCover)
            css.Append(CultureInfo.InvariantCulture, $"#cover {{ page: cover; }}\n@page cover {{ size: letter portrait; @bottom-left {{ content: {Quote(document.Filled is null ? "Workshop packet" : "Workshop packet · " + document.Filled.DistrictName)}; }} }}\n");
        css.Append(CultureInfo.InvariantCulture, $"@page {{ @top-right {{ content: {Quote(Credit)}; }} }}\n");
        return css.ToString();
    }

    /// <summary>A CSS string literal: quotes, backslashes, line breaks and '&lt;' escaped so user text cannot end the rule or the style element.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in text)
        {
            if (ch is '"' or '\\' or '<' or '>' or '&' || char.IsControl(ch))
                sb.Append(CultureInfo.InvariantCulture, $"\\{(int)ch:x} ");
            else sb.Append(ch);
        }
        return sb.Append('"').ToString();
    }
}

/// <summary>Turns a handout document into a PDF response, or a friendly 503 page when that is not possible.</summary>
public sealed class HandoutPdfWriter(ViewHtmlRenderer views, PrintStyles styles, IPdfRenderer renderer, ILogger<HandoutPdfWriter> logger)
{
    public const string DocumentView = "~/Features/Handouts/Document.cshtml";
    public const string UnavailableView = "~/Features/Handouts/PdfUnavailable.cshtml";

    public bool IsAvailable => renderer.IsAvailable;

    /// <summary>The HTML the printer receives (styles inlined, no toolbar).</summary>
    public Task<string> HtmlAsync(ActionContext context, HandoutDocument document) =>
        views.RenderAsync(context, DocumentView, document with { InlineStyles = styles.ForDocument(document) });

    public Task<IActionResult> ResultAsync(Controller controller, HandoutDocument document, string fileName, string printUrl) =>
        ResultAsync(controller, _ => HtmlAsync(controller.ControllerContext, document), document.Sections.FirstOrDefault()?.Info.Landscape ?? false,
            fileName, printUrl, isPrivate: document.Filled is not null);

    /// <summary>Prints any HTML document (a handout, the desk, a network page) to a PDF response, or the friendly 503 page.</summary>
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

public static class HandoutsSetup
{
    /// <summary>PDF renderer (with its /healthz entry), view-to-HTML renderer and print styles.</summary>
    public static IServiceCollection AddHandouts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPdfRendering(configuration);
        services.AddSingleton<PrintStyles>();
        services.AddScoped<ViewHtmlRenderer>();
        services.AddScoped<HandoutPdfWriter>();
        services.AddScoped<PagePdfWriter>();
        return services;
    }
}

/// <summary>Prints a page's own print view (a Razor view that is a whole HTML document) through the handouts' PDF printing.</summary>
public sealed class PagePdfWriter(ViewHtmlRenderer views, HandoutPdfWriter pdf)
{
    public Task<IActionResult> ResultAsync(Controller controller, string viewPath, object model, bool landscape, string fileName, string printUrl) =>
        pdf.ResultAsync(controller, _ => views.RenderAsync(controller.ControllerContext, viewPath, model), landscape, fileName, printUrl, isPrivate: true);
}
