using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Organisation;

public class District : Entity, IDistrictOwned
{
    public string Name { get; set; } = "";

    /// <summary>Five-digit state district code.</summary>
    public string Code { get; set; } = "";

    /// <summary>Intermediate school district the district belongs to.</summary>
    public string Isd { get; set; } = "";

    /// <summary>IANA time zone used to show dates and deadlines.</summary>
    public string TimeZoneId { get; set; } = DefaultTimeZoneId;

    /// <summary>When false only building leaders may submit a building template.</summary>
    public bool AnyBuildingMemberMaySubmit { get; set; } = true;

    /// <summary>
    /// The key leader's consent to share anonymised results (finalized consensus levels, counted with other districts)
    /// and practice notes with the networks the district is on. Off until the key leader turns it on.
    /// </summary>
    public bool SharesWithNetworks { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An activity due within this many days is "approaching" on the plan (MICIP's portfolio word).</summary>
    public int PlanApproachingDays { get; set; } = Plan.ActivityStatusRules.DefaultApproachingDays;

    /// <summary>An activity under way with no check-in for longer than this many days is flagged.</summary>
    public int PlanStaleAfterDays { get; set; } = Plan.ActivityStatusRules.DefaultStaleAfterDays;

    public Plan.MonitoringWindows PlanWindows => new(PlanApproachingDays, PlanStaleAfterDays);

    /// <summary>E-mail domains the district's people must sign in with (comma-separated; empty: any).</summary>
    public string SignInEmailDomains { get; set; } = "";

    /// <summary>Sign-in methods the district's people may use (comma-separated; empty: any).</summary>
    public string SignInMethods { get; set; } = "";

    public List<Building> Buildings { get; set; } = [];
    public List<Cycle> Cycles { get; set; } = [];

    int IDistrictOwned.DistrictId => Id;

    public const string DefaultTimeZoneId = "America/Detroit";
}
