using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Organisation;

public class Building : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public District? District { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Five-digit state building code, unique within the district.</summary>
    public string Code { get; set; } = "";

    /// <summary>Grades served, e.g. "K-5".</summary>
    public string Grades { get; set; } = "";
}
