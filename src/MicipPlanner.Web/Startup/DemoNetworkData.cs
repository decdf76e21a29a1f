using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Networks;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// The demo network: Lakeshore (sharing), Pine Ridge (on the list, not sharing yet) and eight generated districts that
/// share finalized consensus on every row for this school year and the two before, so a new user sees real
/// distributions, a few levels withheld as "fewer than 3", and practice notes.
/// </summary>
public static class DemoNetworkData
{
    public const string NetworkName = "Great Lakes Collaboration Network";

    private static readonly (string Name, string Code, string Isd)[] Generated =
    [
        ("Maple Valley Schools", "63990", "Lakeshore Area ISD"),
        ("Cedar Bay Area Schools", "64990", "Lakeshore Area ISD"),
        ("Huron Shores Public Schools", "65990", "Northern Pines ISD"),
        ("Birch Lake Community Schools", "66990", "Northern Pines ISD"),
        ("Sturgeon Point Schools", "67990", "Northern Pines ISD"),
        ("Willow Creek Public Schools", "68990", "Lakeshore Area ISD"),
        ("Ridgefield Harbor Schools", "69990", "Lakeshore Area ISD"),
        ("North Fork Public Schools", "70990", "Northern Pines ISD"),
    ];

    // How many of the eight generated districts sit at each level (Beginning, Developing, Evolving, Accomplished),
    // per rubric row in toolkit order, two years ago, last year and this year: movement to the right. Most cells hold
    // at least 3 districts so the figures show; a few hold 1 or 2, so the "fewer than 3" rule is visible too.
    // Last year Lakeshore's own consensus (Beginning on collaborative routines) is added to these.
    private static readonly int[][][] Counts =
    [
        [[5, 3, 0, 0], [4, 4, 0, 0], [5, 3, 0, 0], [3, 5, 0, 0], [6, 2, 0, 0], [3, 5, 0, 0]],
        [[2, 3, 3, 0], [0, 5, 3, 0], [0, 5, 3, 0], [0, 4, 4, 0], [2, 3, 3, 0], [0, 3, 5, 0]],
        [[0, 3, 5, 0], [0, 3, 3, 2], [0, 0, 5, 3], [0, 4, 4, 0], [0, 0, 5, 3], [0, 3, 5, 0]],
    ];

    public static async Task SeedAsync(AppDbContext db, CycleStarter cycles, ToolkitDefinition toolkit, DateTimeOffset now,
        District lakeshore, District pineRidge, string coordinatorId, CancellationToken cancellationToken)
    {
        var districts = Generated.Select(g => new District { Name = g.Name, Code = g.Code, Isd = g.Isd, SharesWithNetworks = true, CreatedAt = now }).ToList();
        db.Districts.AddRange(districts);
        lakeshore.SharesWithNetworks = true;
        await db.SaveChangesAsync(cancellationToken);

        var currentYear = SchoolYears.Current(DateOnly.FromDateTime(now.UtcDateTime));
        var rows = toolkit.Rubric.Rows;
        var thisYear = new Dictionary<int, Cycle>();
        for (var y = 0; y < Counts.Length; y++)
        {
            var yearsBack = Counts.Length - 1 - y;
            var levels = Levels(Counts[y], districts.Count, y, isThisYear: yearsBack == 0);
            for (var i = 0; i < districts.Count; i++)
            {
                var cycle = await cycles.StartAsync(districts[i].Id, currentYear - yearsBack, cancellationToken);
                var finalizedAt = now.AddMonths(-12 * yearsBack - 1);
                cycle.RubricFinalizedAt = finalizedAt;
                for (var r = 0; r < rows.Count; r++)
                    db.ConsensusRatings.Add(new ConsensusRating
                    {
                        DistrictId = districts[i].Id, CycleId = cycle.Id, RowKey = rows[r].Key, Level = levels[i][r % Counts[y].Length],
                        Rationale = "Agreed by the district team.", RecordedByUserId = "", RecordedAt = finalizedAt,
                    });
                if (yearsBack == 0) thisYear[i] = cycle;
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

        var maple = thisYear[0];
        var cedar = thisYear[1];
        var sturgeon = thisYear[4];
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
            },
            new PracticeNote
            {
                DistrictId = districts[4].Id, CycleId = sturgeon.Id, RowKey = "plans", Level = 4, IsAnonymous = false,
                Text = "Each building plan now names one shared district strategy and the data the building will bring to the three network meetings; the plans got shorter and the conversations got better.",
                ContactRole = "Assistant superintendent", CreatedByUserId = "", CreatedAt = now.AddDays(-4), UpdatedAt = now.AddDays(-4),
            });
        await db.SaveChangesAsync(cancellationToken);
        await ShareAdoptedPdsaAsync(db, toolkit, now, lakeshore, cancellationToken);
    }

    /// <summary>
    /// Lakeshore's key leader has shared what its adopted PDSA cycle taught, as the cycle's page offers, without the district's
    /// name: the note's text is the cycle's learning, its row the first the cycle's goal serves, its level Lakeshore's
    /// consensus there (0 when none).
    /// </summary>
    private static async Task ShareAdoptedPdsaAsync(AppDbContext db, ToolkitDefinition toolkit, DateTimeOffset now, District lakeshore, CancellationToken cancellationToken)
    {
        var adopted = await db.PdsaCycles.Where(p => p.DistrictId == lakeshore.Id && p.Decision == PdsaDecision.Adopt).OrderBy(p => p.Id).FirstAsync(cancellationToken);
        var goalRows = await (from a in db.PlanActivities
                              join s in db.PlanStrategies on a.StrategyId equals s.Id
                              join g in db.PlanGoals on s.GoalId equals g.Id
                              where a.Id == adopted.ActivityId
                              select g.RubricRowKeys).FirstAsync(cancellationToken);
        var rowKey = PlanRules.RowKeys(goalRows).FirstOrDefault(k => toolkit.FindRubricRow(k) is not null) ?? toolkit.Rubric.Rows[0].Key;
        var level = await db.ConsensusRatings.Where(c => c.DistrictId == lakeshore.Id && c.CycleId == adopted.CycleId && c.RowKey == rowKey)
            .Select(c => (int?)c.Level).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var leaderId = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).FirstOrDefaultAsync(cancellationToken) ?? "";
        var sharedAt = now.AddDays(-150);
        db.PracticeNotes.Add(new PracticeNote
        {
            DistrictId = lakeshore.Id, CycleId = adopted.CycleId, RowKey = rowKey, Level = level, IsAnonymous = true,
            Text = PracticeNotesController.Learning(adopted), ContactRole = "",
            CreatedByUserId = leaderId, CreatedAt = sharedAt, UpdatedAt = sharedAt, SourcePdsaCycleId = adopted.Id,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Spreads one year's counts over the districts: row by row, the levels in order, rotated so that no district is
    /// always the one ahead. Maple Valley is kept at Evolving on collaborative routines and Cedar Bay on policies, and
    /// Sturgeon Point at Accomplished on plans this year, where their practice notes say they are.
    /// </summary>
    private static int[][] Levels(int[][] counts, int districtCount, int yearIndex, bool isThisYear)
    {
        var levels = Enumerable.Range(0, districtCount).Select(_ => new int[counts.Length]).ToArray();
        for (var r = 0; r < counts.Length; r++)
        {
            var column = counts[r].SelectMany((count, level) => Enumerable.Repeat(level + 1, count)).ToList();
            for (var i = 0; i < districtCount; i++) levels[i][r] = column[(i + 3 * r + yearIndex) % districtCount];
        }
        if (isThisYear)
        {
            Pin(levels, district: 0, row: 2, level: 3);
            Pin(levels, district: 1, row: 1, level: 3);
            Pin(levels, district: 4, row: 4, level: 4);
        }
        return levels;
    }

    /// <summary>Swaps levels between two districts on a row, which keeps the row's counts.</summary>
    private static void Pin(int[][] levels, int district, int row, int level)
    {
        if (levels[district][row] == level) return;
        var other = Array.FindIndex(levels, l => l[row] == level);
        if (other < 0) return;
        (levels[district][row], levels[other][row]) = (levels[other][row], levels[district][row]);
    }
}
