using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Handouts;

/// <summary>Blank handouts: print view and PDF, no account needed.</summary>
[AllowAnonymous]
[Route("handouts")]
public sealed class BlankHandoutsController(ToolkitCatalog toolkits, HandoutPdfWriter pdf) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View("Index", HandoutCatalog.Blank);

    [HttpGet("packet.pdf")]
    public Task<IActionResult> Packet() =>
        pdf.ResultAsync(this, Document(HandoutCatalog.All, "MICIP workshop packet (blank)", pdfUrl: null) with { HasCover = true }, "micip-workshop-packet.pdf", Url.Action(nameof(Index))!);

    [HttpGet("{name}.pdf")]
    public Task<IActionResult> Pdf(string name)
    {
        if (HandoutCatalog.FindBlank(name) is not { } info) return Task.FromResult<IActionResult>(NotFound());
        return pdf.ResultAsync(this, Document([info], info.Title, Url.Action(nameof(Pdf), new { name })), $"{name}.pdf", Url.Action(nameof(Print), new { name })!);
    }

    [HttpGet("{name}")]
    public IActionResult Print(string name)
    {
        if (HandoutCatalog.FindBlank(name) is not { } info) return NotFound();
        return View(HandoutPdfWriter.DocumentView, Document([info], info.Title, Url.Action(nameof(Pdf), new { name })));
    }

    private HandoutDocument Document(IReadOnlyList<HandoutInfo> handouts, string title, string? pdfUrl) =>
        new(title, toolkits.Default, handouts.Select(h => new HandoutSection(h, null)).ToList(), null, pdfUrl, Url.Action(nameof(Index))!, "All blank handouts");
}

/// <summary>A district cycle's filled handouts, the workshop packet and the district summary report.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}")]
public sealed class HandoutsController(DistrictPageServices services, HandoutPdfWriter pdf) : DistrictControllerBase(services)
{
    [HttpGet("handouts")]
    [CyclePage(Section = "handouts")]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var districtWide = cycle.Permissions.CanSeeDistrictReports;
        var own = cycle.Permissions.Actor.BuildingIds;
        var buildings = await Db.Buildings.Where(b => b.DistrictId == districtId && (districtWide || own.Contains(b.Id))).OrderBy(b => b.Name)
            .Select(b => new { b.Id, b.Name }).AsNoTracking().ToListAsync();
        return View("Cycle", new CycleHandoutsModel(cycle,
            HandoutCatalog.All.Where(h => districtWide || !h.DistrictWide).ToList(), buildings.Select(b => (b.Id, b.Name)).ToList(), districtWide));
    }

    [HttpGet("handouts/packet.pdf")]
    [CyclePage(Section = "handouts", Requires = Permission.SeeDistrictReports)]
    public async Task<IActionResult> Packet(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var sections = new List<HandoutSection>();
        foreach (var info in HandoutCatalog.All)
            sections.Add(new HandoutSection(info, await SectionDataAsync(cycle, info, null)));
        var document = await DocumentAsync(cycle, sections, "Workshop packet", null) with { HasCover = true };
        return await pdf.ResultAsync(this, document, $"micip-packet-{cycle.SchoolYear}.pdf", Url.Action(nameof(Index), new { districtId, cycleId })!);
    }

    [HttpGet("handouts/{name}.pdf")]
    [CyclePage(Section = "handouts")]
    public async Task<IActionResult> Pdf(int districtId, int cycleId, string name, int? building)
    {
        var (error, document) = await FilledAsync(districtId, cycleId, name, building);
        if (error is not null) return error;
        return await pdf.ResultAsync(this, document!, $"{name}-{document!.Filled!.SchoolYear}.pdf",
            Url.Action(nameof(Print), new { districtId, cycleId, name, building })!);
    }

    [HttpGet("handouts/{name}")]
    [CyclePage(Section = "handouts")]
    public async Task<IActionResult> Print(int districtId, int cycleId, string name, int? building)
    {
        var (error, document) = await FilledAsync(districtId, cycleId, name, building);
        return error ?? View(HandoutPdfWriter.DocumentView, document);
    }

    [HttpGet("report")]
    [CyclePage(Section = "handouts", Requires = Permission.SeeDistrictReports)]
    public async Task<IActionResult> Report(int districtId, int cycleId) =>
        View(HandoutPdfWriter.DocumentView, await ReportDocumentAsync(districtId, cycleId));

    [HttpGet("report.pdf")]
    [CyclePage(Section = "handouts", Requires = Permission.SeeDistrictReports)]
    public async Task<IActionResult> ReportPdf(int districtId, int cycleId)
    {
        var document = await ReportDocumentAsync(districtId, cycleId);
        return await pdf.ResultAsync(this, document, $"micip-report-{document.Filled!.SchoolYear}.pdf", Url.Action(nameof(Report), new { districtId, cycleId })!);
    }

    public static readonly HandoutInfo ReportInfo = new("report", "District Summary Report", "Summary report", false,
        "Rubric heat map by group, consensus per row, trend across cycles, building roll-up and open action items.", true);

    private async Task<HandoutDocument> ReportDocumentAsync(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var today = TimeZones.DateIn(Clock.GetUtcNow(), cycle.District.TimeZone);
        var data = await HandoutQueries.ReportAsync(Db, Toolkits, districtId, cycleId, ToolkitOf(cycle), today, HttpContext.RequestAborted);
        return await DocumentAsync(cycle, [new HandoutSection(ReportInfo, data)], "District summary report", Url.Action(nameof(ReportPdf), new { districtId, cycleId }));
    }

    private async Task<(IActionResult? Error, HandoutDocument? Document)> FilledAsync(int districtId, int cycleId, string name, int? building)
    {
        var cycle = CurrentCycle;
        if (HandoutCatalog.Find(name) is not { } info) return (NotFound(), null);
        if (info.Name == "building-template")
        {
            if (building is { } b && (!await Db.Buildings.AnyAsync(x => x.Id == b && x.DistrictId == districtId) || !cycle.Permissions.CanViewBuildingTemplate(b)))
                return (NotFound(), null);
            if (building is null && !cycle.Permissions.CanSeeDistrictReports && cycle.Permissions.Actor.BuildingIds.Count == 0)
                return (Denied(), null);
        }
        else if (!cycle.Permissions.CanSeeDistrictReports) return (Denied(), null);
        var section = new HandoutSection(info, await SectionDataAsync(cycle, info, building));
        var forBuilding = info.Name == "building-template" ? building : null;
        var document = await DocumentAsync(cycle, [section], info.Title, Url.Action(nameof(Pdf), new { districtId, cycleId, name, building = forBuilding }));
        return (null, document);
    }

    private async Task<HandoutDocument> DocumentAsync(CycleContext cycle, IReadOnlyList<HandoutSection> sections, string title, string? pdfUrl)
    {
        var header = await HandoutQueries.HeaderAsync(Db, cycle, Clock, HttpContext.RequestAborted);
        return new HandoutDocument(title, ToolkitOf(cycle), sections, header, pdfUrl,
            Url.Action(nameof(Index), new { districtId = cycle.DistrictId, cycleId = cycle.CycleId })!, "Handouts of " + cycle.District.DistrictName + " " + cycle.SchoolYear);
    }

    private async Task<object> SectionDataAsync(CycleContext cycle, HandoutInfo info, int? building)
    {
        var toolkit = ToolkitOf(cycle);
        var ct = HttpContext.RequestAborted;
        switch (info.Name)
        {
            case "handout-1": return await HandoutQueries.Activity1Async(Db, cycle.CycleId, toolkit, ct);
            case "handout-2": return await HandoutQueries.RubricAsync(Db, cycle.CycleId, toolkit, ct);
            case "handout-3": return await HandoutQueries.DistrictAnswersAsync(Db, cycle.CycleId, ct);
            case "district-template": return await HandoutQueries.DistrictTemplateAsync(Db, cycle.DistrictId, cycle.CycleId, cycle.District.DistrictName, toolkit, ct);
            case "building-template":
                var permissions = cycle.Permissions;
                IReadOnlyCollection<int> ids = building is { } b ? [b]
                    : permissions.CanSeeDistrictReports ? await Db.Buildings.Where(x => x.DistrictId == cycle.DistrictId).Select(x => x.Id).ToListAsync(ct)
                    : permissions.Actor.BuildingIds;
                return await HandoutQueries.BuildingTemplatesAsync(Db, cycle.CycleId, ids, toolkit, ct);
            default: return await HandoutQueries.HeaderAsync(Db, cycle, Clock, ct);
        }
    }
}
