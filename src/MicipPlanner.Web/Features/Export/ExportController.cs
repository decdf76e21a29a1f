using System.Globalization;
using System.Text.Json;
using CsvHelper;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Infrastructure.Data.Backup;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace MicipPlanner.Web.Features.Export;

/// <summary>A table for people: headers and rows of plain values.</summary>
public sealed record Sheet(string Name, IReadOnlyList<string> Headers, IReadOnlyList<object?[]> Rows);

/// <summary>Downloads of a district: the full JSON backup, and ratings and templates as CSV or Excel.</summary>
public sealed class ExportController(DistrictPageServices services) : DistrictControllerBase(services)
{
    [HttpGet("districts/{districtId:int}/export.json")]
    [DistrictPage(Requires = Permission.SeeAuditAndExport)]
    public async Task<IActionResult> Archive(int districtId, [FromServices] DistrictArchive archive)
    {
        var district = CurrentDistrict;
        var document = await archive.ExportAsync(districtId, HttpContext.RequestAborted);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, DistrictArchive.Json);
        var today = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), district.TimeZone);
        return File(bytes, "application/json", $"micip-district-{districtId}-{today:yyyy-MM-dd}.json");
    }

    [HttpGet("districts/{districtId:int}/cycles/{cycleId:int}/export/{what}.{format}")]
    [CyclePage]
    public async Task<IActionResult> Table(int districtId, int cycleId, string what, string format)
    {
        var cycle = CurrentCycle;
        if (what is not ("ratings" or "templates") || format is not ("csv" or "xlsx")) return NotFound();
        if (!cycle.Permissions.CanSeeAuditAndExport) return Denied();
        var sheet = what == "ratings" ? await RatingsAsync(cycle) : await TemplatesAsync(cycle);
        var name = $"micip-{what}-{cycle.SchoolYear}.{format}";
        return format == "csv"
            ? File(ToCsv(sheet), "text/csv; charset=utf-8", name)
            : File(ToXlsx(sheet), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private async Task<Sheet> RatingsAsync(CycleContext cycle)
    {
        var toolkit = ToolkitOf(cycle);
        var zone = cycle.District.TimeZone;
        var ratings = await Db.RubricRatings.Where(r => r.CycleId == cycle.CycleId)
            .Select(r => new
            {
                Group = Db.RatingGroups.Where(g => g.Id == r.RatingGroupId).Select(g => g.Name).FirstOrDefault(),
                GroupOrder = Db.RatingGroups.Where(g => g.Id == r.RatingGroupId).Select(g => g.SortOrder).FirstOrDefault(),
                r.RowKey, r.Level, r.Evidence, r.UpdatedAt,
                By = Db.Users.NameOf(r.UpdatedByUserId),
            }).AsNoTracking().ToListAsync();
        var consensus = await Db.ConsensusRatings.Where(c => c.CycleId == cycle.CycleId)
            .Select(c => new
            {
                c.RowKey, c.Level, c.Rationale, c.RecordedAt,
                By = Db.Users.NameOf(c.RecordedByUserId),
            }).AsNoTracking().ToListAsync();
        string LevelName(int? level) => toolkit.Rubric.Levels.FirstOrDefault(l => l.Level == level)?.FullName ?? "";
        int RowNumber(string key) => toolkit.FindRubricRow(key)?.Number ?? 0;
        string RowLabel(string key) => toolkit.FindRubricRow(key)?.Label ?? key;

        var rows = ratings.OrderBy(r => r.GroupOrder).ThenBy(r => r.Group).ThenBy(r => RowNumber(r.RowKey))
            .Select(r => new object?[] { cycle.SchoolYear, r.Group ?? "", RowNumber(r.RowKey), RowLabel(r.RowKey), r.Level, LevelName(r.Level), r.Evidence, r.By ?? "", TimeZones.Format(r.UpdatedAt, zone) })
            .Concat(consensus.OrderBy(c => RowNumber(c.RowKey))
                .Select(c => new object?[] { cycle.SchoolYear, "Team consensus", RowNumber(c.RowKey), RowLabel(c.RowKey), c.Level, LevelName(c.Level), c.Rationale, c.By ?? "", TimeZones.Format(c.RecordedAt, zone) }))
            .ToList();
        return new Sheet("Ratings", ["School year", "Group", "Row", "Row label", "Level", "Level name", "Evidence or rationale", "Saved by", "Saved at"], rows);
    }

    private async Task<Sheet> TemplatesAsync(CycleContext cycle)
    {
        var toolkit = ToolkitOf(cycle);
        var items = await Db.BalanceTemplateItems
            .Join(Db.BalanceTemplates.Where(t => t.CycleId == cycle.CycleId), i => i.TemplateId, t => t.Id, (i, t) => new
            {
                Building = t.BuildingId == null ? null : Db.Buildings.Where(b => b.Id == t.BuildingId).Select(b => b.Name).FirstOrDefault(),
                t.BuildingId, t.State, i.RowNumber, i.Function, i.Status, i.Evidence, i.NextAction, i.Owner, i.TargetDate,
            }).AsNoTracking().ToListAsync();
        var rows = items.OrderBy(i => i.BuildingId is null ? 0 : 1).ThenBy(i => i.Building).ThenBy(i => i.RowNumber).ThenBy(i => i.Function)
            .Select(i => new object?[]
            {
                cycle.SchoolYear, i.Building ?? "District", i.State.DisplayName(), i.RowNumber,
                toolkit.Balance.Rows.FirstOrDefault(r => r.Number == i.RowNumber)?.Label ?? "",
                i.Function.DisplayName(), i.Status?.DisplayName() ?? "", i.Evidence, i.NextAction, i.Owner,
                i.TargetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            }).ToList();
        return new Sheet("Templates", ["School year", "Template", "State", "Row", "Row label", "Function", "Status", "Evidence", "Next action", "Owner", "Target date"], rows);
    }

    /// <summary>CSV for spreadsheets: a cell starting with = + - @ (or a tab/return) is prefixed with a quote so it is never run as a formula.</summary>
    public static byte[] ToCsv(Sheet sheet)
    {
        using var buffer = new MemoryStream();
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true };
        using (var csv = CsvWriter.Create(buffer, options, leaveOpen: true))
        {
            csv.WriteRecord(sheet.Headers.ToArray());
            foreach (var row in sheet.Rows)
                csv.WriteRecord(row.Select(cell => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "").ToArray());
        }
        return buffer.ToArray();
    }

    /// <summary>Excel workbook; every text is written as a text cell (never a formula).</summary>
    public static byte[] ToXlsx(Sheet sheet)
    {
        using var table = new System.Data.DataTable(sheet.Name);
        foreach (var header in sheet.Headers) table.Columns.Add(header, typeof(object));
        foreach (var row in sheet.Rows) table.Rows.Add(row.Select(c => c ?? DBNull.Value).ToArray());
        using var buffer = new MemoryStream();
        buffer.SaveAs(table, sheetName: sheet.Name, excelType: ExcelType.XLSX);
        return buffer.ToArray();
    }
}
