using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Organisation;

public sealed class BuildingForm
{
    /// <summary>From the route, never from the posted form: the uniqueness rule compares with these.</summary>
    [FromRoute(Name = "districtId")]
    public int DistrictId { get; set; }

    [FromRoute(Name = "buildingId")]
    public int? Id { get; set; }
    public string Name { get; set; } = "";
    public string Code { get; set; } = "";
    public string Grades { get; set; } = "";
    public Guid Version { get; set; }
}

public sealed class BuildingFormValidator : AbstractValidator<BuildingForm>
{
    public BuildingFormValidator(AppDbContext db)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Enter the building's name.")
            .SingleLineText(TextLimits.Name);
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop)
            .Must(v => StateCodes.IsValid(v?.Trim())).WithMessage("Enter the 5-digit state building code, e.g. 01234.")
            .Must((form, code) => !db.Buildings.Any(b => b.DistrictId == form.DistrictId && b.Code == code.Trim() && b.Id != (form.Id ?? 0)))
            .WithMessage("Another building in this district already uses this code.");
        RuleFor(x => x.Grades).Cascade(CascadeMode.Stop)
            .SingleLineText(40, "Use at most 40 characters, e.g. K-5.");
    }
}
