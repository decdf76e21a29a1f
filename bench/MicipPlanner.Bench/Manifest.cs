using System.Text.Json;

namespace MicipPlanner.Bench;

/// <summary>
/// Written beside a generated database (or, for a server database, at the generator's <c>--out</c> path): the accounts and
/// records the load benchmark uses, and which provider and connection string hold the data.
/// </summary>
public sealed record BenchManifest(
    string Password,
    int Districts,
    int Seed,
    double GenerationSeconds,
    BenchTarget Target,
    List<BenchSaver> Savers,
    IDictionary<string, int> Counts,
    BenchDesk? Desk = null,
    string Provider = "Sqlite",
    string? Connection = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathFor(string database) => database + ".manifest.json";

    public void Save(string database) => File.WriteAllText(PathFor(database), JsonSerializer.Serialize(this, Json));

    public static BenchManifest Load(string database) =>
        JsonSerializer.Deserialize<BenchManifest>(File.ReadAllText(PathFor(database)), Json)
        ?? throw new InvalidOperationException("Empty manifest beside " + database);
}

/// <summary>The district whose pages are measured: its key leader, current cycle, a rating group and a submitted building.</summary>
public sealed record BenchTarget(string Email, int DistrictId, int CycleId, int GroupId, int BuildingId);

/// <summary>
/// The facilitator whose desk is measured (assigned to 40 districts on the statewide database) and the network whose page
/// is measured (every district of the database; the target key leader reads it as a member).
/// </summary>
public sealed record BenchDesk(string FacilitatorEmail, int Districts, int NetworkId, int NetworkDistricts);

/// <summary>A key leader who saves ratings of their own district during the save scenario.</summary>
public sealed record BenchSaver(string Email, int DistrictId, int CycleId, int GroupId);
