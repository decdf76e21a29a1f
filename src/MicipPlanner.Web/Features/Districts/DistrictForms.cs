using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Districts;

public sealed class DistrictForm
{
    /// <summary>The district being edited, from the route (none when adding one); a posted field of this name is ignored.</summary>
    [FromRoute(Name = "districtId")]
    public int? Id { get; set; }
    public string Name { get; set; } = "";
    public string Code { get; set; } = "";
    public string Isd { get; set; } = "";
    public string TimeZoneId { get; set; } = Domain.Organisation.District.DefaultTimeZoneId;
    public bool AnyBuildingMemberMaySubmit { get; set; } = true;

    /// <summary>The plan's windows: days before its due date an activity shows as approaching, and days without a check-in before it is flagged.</summary>
    public int PlanApproachingDays { get; set; } = ActivityStatusRules.DefaultApproachingDays;
    public int PlanStaleAfterDays { get; set; } = ActivityStatusRules.DefaultStaleAfterDays;

    /// <summary>Share anonymised results with the district's networks; only the key leader may change it.</summary>
    public bool SharesWithNetworks { get; set; }

    /// <summary>Shown, not posted: whether the person may change <see cref="SharesWithNetworks"/>, and the district's networks.</summary>
    public bool CanChangeSharing { get; set; }
    public IReadOnlyList<string> Networks { get; set; } = [];
    public Guid Version { get; set; }
}

public sealed class DistrictFormValidator : AbstractValidator<DistrictForm>
{
    public DistrictFormValidator(AppDbContext db)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Enter the district's name.")
            .SingleLineText(TextLimits.Name);
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop)
            .Must(v => StateCodes.IsValid(v?.Trim())).WithMessage("Enter the 5-digit state district code, e.g. 61990.")
            .Must((form, code) => !db.Districts.Any(d => d.Code == code.Trim() && d.Id != (form.Id ?? 0)))
            .WithMessage("Another district already uses this code.");
        RuleFor(x => x.Isd).SingleLineText(TextLimits.Name);
        RuleFor(x => x.TimeZoneId).Must(id => TimeZones.Find(id).Id == id).WithMessage("Choose a time zone from the list.");
        RuleFor(x => x.PlanApproachingDays).InclusiveBetween(0, MonitoringWindows.MaxApproachingDays)
            .WithMessage($"Enter a number of days from 0 to {MonitoringWindows.MaxApproachingDays}.");
        RuleFor(x => x.PlanStaleAfterDays).InclusiveBetween(MonitoringWindows.MinStaleAfterDays, MonitoringWindows.MaxStaleAfterDays)
            .WithMessage($"Enter a number of days from {MonitoringWindows.MinStaleAfterDays} to {MonitoringWindows.MaxStaleAfterDays}.");
    }
}
