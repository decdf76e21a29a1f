using MicipPlanner.Domain.Organisation;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>Buildings, teams, invitations, facilitators and cycles of one district.</summary>
[Route("districts/{districtId:int}")]
public sealed partial class OrganisationController(DistrictPageServices services) : DistrictControllerBase(services)
{
    [HttpGet("organisation")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> Index(int districtId) =>
        View(await OrganisationQuery.LoadAsync(Db, CurrentDistrict, Clock.GetUtcNow()));

    [HttpGet("buildings/new")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public IActionResult NewBuilding(int districtId) => View("BuildingEdit", new BuildingForm { DistrictId = districtId });

    [HttpPost("buildings/new")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> CreateBuilding(int districtId, BuildingForm form)
    {
        if (!ModelState.IsValid) return View("BuildingEdit", form);
        Db.Buildings.Add(new Building
        {
            DistrictId = districtId,
            Name = FormText.Clean(form.Name),
            Code = FormText.Clean(form.Code),
            Grades = FormText.Clean(form.Grades),
        });
        await Db.SaveChangesAsync();
        TempData["Status"] = $"Building “{FormText.Clean(form.Name)}” added.";
        return RedirectToAction(nameof(Index), new { districtId });
    }

    [HttpGet("buildings/{buildingId:int}/edit")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> EditBuilding(int districtId, int buildingId)
    {
        var form = await Db.Buildings.Where(b => b.Id == buildingId && b.DistrictId == districtId)
            .Select(b => new BuildingForm { DistrictId = districtId, Id = b.Id, Name = b.Name, Code = b.Code, Grades = b.Grades, Version = b.Version })
            .AsNoTracking().SingleOrDefaultAsync();
        if (form is null) return NotFound();
        return View("BuildingEdit", form);
    }

    [HttpPost("buildings/{buildingId:int}/edit")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> UpdateBuilding(int districtId, int buildingId, BuildingForm form)
    {
        var building = await Db.Buildings.SingleOrDefaultAsync(b => b.Id == buildingId && b.DistrictId == districtId);
        if (building is null) return NotFound();
        if (!ModelState.IsValid) return View("BuildingEdit", form);
        Db.ShownAs(building, form.Version);
        building.Name = FormText.Clean(form.Name);
        building.Code = FormText.Clean(form.Code);
        building.Grades = FormText.Clean(form.Grades);
        if (!await this.SavedWithoutConflictAsync(Db, "Someone else changed this building while you were editing. Reload the page to see their changes, then make yours again."))
            return View("BuildingEdit", form);
        TempData["Status"] = $"Building “{building.Name}” saved.";
        return RedirectToAction(nameof(Index), new { districtId });
    }
}
