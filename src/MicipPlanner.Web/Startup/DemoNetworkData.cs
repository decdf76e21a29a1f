using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Organisation;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// The demo network: Lakeshore (sharing), Pine Ridge (on the list, not sharing yet) and three generated districts that
/// share finalized consensus for this school year and earlier ones, so a new user sees real benchmarks, a figure withheld
/// for having fewer than 3 districts, and a few practice notes.
/// </summary>
public static class DemoNetworkData
{
    public const string NetworkName = "Great Lakes Collaboration Network";

    private static readonly (string Name, string Code, string Isd)[] Generated =
    [
        ("Maple Valley Schools", "63990", "Lakeshore Area ISD"),
        ("Cedar Bay Area Schools", "64990", "Lakeshore Area ISD"),
        ("Huron Shores Public Schools", "65990", "Northern Pines ISD"),
    ];

    // Consensus levels per generated district (rows in toolkit order), for this school year and the one before;
    // two years ago only the first two districts finalized, so that year's figures stay withheld.
    private static readonly int[][] ThisYear = [[3, 2, 3, 2, 3, 2], [2, 3, 3, 2, 2, 3], [3, 3, 2, 3, 2, 2]];
    private static readonly int[][] LastYear = [[2, 2, 2, 1, 2, 2], [2, 2, 3, 2, 1, 2], [2, 3, 2, 2, 2, 1]];
    private static readonly int[][] TwoYearsAgo = [[1, 1, 2, 1, 1, 1], [1, 2, 1, 1, 1, 2]];

    public static async Task SeedAsync(AppDbContext db, CycleStarter cycles, ToolkitDefinition toolkit, DateTimeOffset now,
        District lakeshore, District pineRidge, string coordinatorId, CancellationToken cancellationToken)
    {
        var districts = Generated.Select(g => new District { Name = g.Name, Code = g.Code, Isd = g.Isd, SharesWithNetworks = true, CreatedAt = now }).ToList();
        db.Districts.AddRange(districts);
        lakeshore.SharesWithNetworks = true;
        await db.SaveChangesAsync(cancellationToken);

        var currentYear = SchoolYears.Current(DateOnly.FromDateTime(now.UtcDateTime));
        var rows = toolkit.Rubric.Rows;
        var finalizedCycles = new List<(int DistrictIndex, Cycle Cycle)>();
        foreach (var (levels, yearsBack) in new[] { (TwoYearsAgo, 2), (LastYear, 1), (ThisYear, 0) })
        {
            for (var i = 0; i < levels.Length; i++)
            {
                var cycle = await cycles.StartAsync(districts[i].Id, currentYear - yearsBack, cancellationToken);
                var finalizedAt = now.AddMonths(-12 * yearsBack - 1);
                cycle.RubricFinalizedAt = finalizedAt;
                for (var r = 0; r < rows.Count; r++)
                    db.ConsensusRatings.Add(new ConsensusRating
                    {
                        DistrictId = districts[i].Id, CycleId = cycle.Id, RowKey = rows[r].Key, Level = levels[i][r % levels[i].Length],
                        Rationale = "Agreed by the district team.", RecordedByUserId = "", RecordedAt = finalizedAt,
                    });
                finalizedCycles.Add((i, cycle));
            }
        }

        var network = new Network
        {
            Name = NetworkName, CoordinatorUserId = coordinatorId, CreatedAt = now,
            Description = "Districts of two ISDs that meet three times a year to learn from each other's continuous improvement work.",
        };
        foreach (var district in new[] { lakeshore, pineRidge }.Concat(districts))
            network.Members.Add(new NetworkMembership { DistrictId = district.Id, AddedAt = now });
        db.Networks.Add(network);

        var maple = finalizedCycles.First(c => c.DistrictIndex == 0 && c.Cycle.StartYear == currentYear).Cycle;
        var cedar = finalizedCycles.First(c => c.DistrictIndex == 1 && c.Cycle.StartYear == currentYear).Cycle;
        db.PracticeNotes.AddRange(
            new PracticeNote
            {
                DistrictId = districts[0].Id, CycleId = maple.Id, RowKey = "routines", Level = 3, IsAnonymous = false,
                Text = "What helped us move from Developing to Evolving on collaborative routines: a standing monthly meeting with rotating facilitator and note-taker roles, and an agenda template every building uses.",
                ContactRole = "Director of school improvement", CreatedByUserId = "", CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-20),
            },
            new PracticeNote
            {
                DistrictId = districts[1].Id, CycleId = cedar.Id, RowKey = "policies", Level = 3, IsAnonymous = true,
                Text = "We rewrote the CI team charter with the board so that roles and accountability are named, and revisit it each fall.",
                ContactRole = "", CreatedByUserId = "", CreatedAt = now.AddDays(-10), UpdatedAt = now.AddDays(-10),
            });
        await db.SaveChangesAsync(cancellationToken);
    }
}
