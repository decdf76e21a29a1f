using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// What every district page's controller works with, taken in its constructor as one parameter so the controllers name
/// their own services beside it and the base class reads nothing from the request's service provider.
/// </summary>
public sealed record DistrictPageServices(AppDbContext Db, DistrictAccessService Access, ToolkitCatalog Toolkits, TimeProvider Clock);
