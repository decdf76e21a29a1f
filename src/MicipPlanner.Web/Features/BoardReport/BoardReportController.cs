using MicipPlanner.Infrastructure.Pdf;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Handouts;
using MicipPlanner.Web.Printing;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.BoardReport;

/// <summary>
/// The cycle's report for the board of education and the community: a print view, the PDF printed from it, and a Word
/// document a superintendent's office edits and puts in a board packet. Everyone who reads the plan reads it.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/board-report")]
public sealed class BoardReportController(DistrictPageServices services, HandoutPdfWriter pdf, ViewHtmlRenderer views, PrintStyles styles, IPdfRenderer renderer) : DistrictControllerBase(services)
{
    public const string ReportView = "Report";
    public const string ChartsView = "Charts";
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [HttpGet("")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(ReportView, await ReportAsync());

    [HttpGet("~/districts/{districtId:int}/cycles/{cycleId:int}/board-report.pdf")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Pdf(int districtId, int cycleId)
    {
        var report = await ReportAsync();
        var printing = report with { InlineStyles = styles.BaseCss + "\nsvg.chart { width: 100%; height: auto; }" };
        return await pdf.ResultAsync(this, _ => views.RenderAsync(ControllerContext, ReportView, printing), landscape: false, FileName(report, "pdf"),
            PrintUrl(), isPrivate: true);
    }

    [HttpGet("~/districts/{districtId:int}/cycles/{cycleId:int}/board-report.docx")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Docx(int districtId, int cycleId)
    {
        var report = await ReportAsync();
        return await pdf.FileAsync(this, async cancellationToken =>
        {
            var measures = report.ChartedMeasures.ToList();
            // The charts are the page's own SVG, drawn to pictures by the printing browser: the Word document shows what the PDF shows.
            var pictures = measures.Count == 0 ? []
                : await renderer.CaptureAsync(_ => views.RenderAsync(ControllerContext, ChartsView, report), ".board-chart", cancellationToken);
            return BoardReportDocx.Write(report, measures.Zip(pictures).ToDictionary(x => x.First.Id, x => x.Second));
        }, DocxType, "attachment", FileName(report, "docx"), PrintUrl(), isPrivate: true);
    }

    private Task<BoardReportModel> ReportAsync() => BoardReportQuery.BuildAsync(Db, CurrentCycle, Toolkits, Clock, HttpContext.RequestAborted);

    private string PrintUrl() => Url.Action(nameof(Index), new { districtId = CurrentCycle.DistrictId, cycleId = CurrentCycle.CycleId })!;

    private static string FileName(BoardReportModel report, string extension) => $"board-report-{report.Cycle.SchoolYear}.{extension}";
}
