using System.Globalization;
using System.Text;
using MicipPlanner.Infrastructure.Pdf;
using MicipPlanner.Web.Printing;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Handouts;

/// <summary>
/// Prints handout documents (the blank and filled handouts, the packet, the report, a PDSA worksheet) through the
/// shared PDF printing, with their page rules: a named page per section for its orientation and its footer (handout
/// name, district, "Page X of Y") and the source credit on every page.
/// </summary>
public sealed class HandoutPdfWriter(ViewHtmlRenderer views, PrintStyles styles, IPdfRenderer renderer, ILogger<PdfWriter> logger)
    : PdfWriter(renderer, logger)
{
    // By path: the PDSA pages show their worksheet in it too.
    public const string DocumentView = "~/Features/Handouts/Document.cshtml";
    public const string Credit = "Source: MICIP toolkit by the Michigan Continuous Systems Improvement team, Michigan Department of Education";

    /// <summary>The HTML the printer receives (styles inlined, no toolbar).</summary>
    private Task<string> HtmlAsync(ActionContext context, HandoutDocument document) =>
        views.RenderAsync(context, DocumentView, document with { InlineStyles = StylesFor(document) });

    public Task<IActionResult> ResultAsync(Controller controller, HandoutDocument document, string fileName, string printUrl) =>
        ResultAsync(controller, _ => HtmlAsync(controller.ControllerContext, document), document.Sections.FirstOrDefault()?.Info.Landscape ?? false,
            fileName, printUrl, isPrivate: document.Filled is not null);

    /// <summary>Everything inside the document's &lt;style&gt; element when printing to PDF.</summary>
    private string StylesFor(HandoutDocument document)
    {
        var css = new StringBuilder(styles.BaseCss);
        css.Append('\n');
        for (var i = 0; i < document.Sections.Count; i++)
        {
            var section = document.Sections[i];
            var page = $"p{i}";
            css.Append(CultureInfo.InvariantCulture, $"#sec-{i} {{ page: {page}; }}\n");
            css.Append(CultureInfo.InvariantCulture, $"@page {page} {{ size: letter {(section.Info.Landscape ? "landscape" : "portrait")}; ");
            css.Append(CultureInfo.InvariantCulture, $"@bottom-left {{ content: {PrintStyles.Quote(section.Footer(document.Filled))}; }} }}\n");
        }
        if (document.HasCover)
            css.Append(CultureInfo.InvariantCulture, $"#cover {{ page: cover; }}\n@page cover {{ size: letter portrait; @bottom-left {{ content: {PrintStyles.Quote(document.Filled is null ? "Workshop packet" : "Workshop packet · " + document.Filled.DistrictName)}; }} }}\n");
        css.Append(CultureInfo.InvariantCulture, $"@page {{ @top-right {{ content: {PrintStyles.Quote(Credit)}; }} }}\n");
        return css.ToString();
    }
}
