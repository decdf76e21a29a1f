using System.Diagnostics;
using System.Globalization;
using Bogus;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Data.Saving;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace MicipPlanner.Bench;

/// <summary>Options of the statewide data generator.</summary>
public sealed record GeneratorOptions(string Output, int Districts, int Buildings, int Users, int Seed, string Provider, string? Connection);

/// <summary>
/// Writes a statewide data set through the app's own model (AppDbContext and its migrations), so the
/// same code fills SQLite or SQL Server. Every district is generated from its own seed: district 1 has
/// the same shape in the statewide and in the one-district database, which makes their timings comparable.
/// </summary>
public sealed class Generator(GeneratorOptions options)
{
    public const string Password = "Bench-Pass-2026!";
    private const int ChunkSize = 30;
    private const int Facilitators = 100;
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 15, 0, 0, TimeSpan.Zero);
    private const int CurrentYear = 2026;

    private readonly ToolkitDefinition _toolkit = ToolkitCatalog.LoadEmbedded().Default;
    private readonly Dictionary<string, int> _counts = [];
    private string _passwordHash = "";

    public async Task<BenchManifest> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        // One password hash for every account: hashing is deliberately slow and would dominate the run.
        _passwordHash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), Password);

        await using var connection = OpenConnection();
        await using (var db = NewContext(connection))
        {
            await DatabaseSetup.MigrateAsync(db);
            if (await db.Districts.AnyAsync())
                throw new InvalidOperationException("The target database already has districts; generate into an empty database.");
        }
        if (connection is SqliteConnection sqlite)
        {
            // Bulk loading only: a crash mid-way leaves a file to delete, never a half-trusted one.
            using var pragma = sqlite.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }

        var buildingCounts = BuildingCounts();
        var userCounts = UserCounts(buildingCounts);
        string[] facilitatorIds;
        string facilitatorRoleId;
        string adminEmail = "admin@bench.example.org";
        await using (var db = NewContext(connection))
        {
            var admin = Role(db, AppRoles.Admin);
            var facilitatorRole = Role(db, AppRoles.Facilitator);
            var faker = new Faker("en") { Random = new Randomizer(options.Seed) };
            var adminUser = NewUser(faker, adminEmail);
            db.Users.Add(adminUser);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = adminUser.Id, RoleId = admin.Id });
            var facilitators = Enumerable.Range(1, Math.Min(Facilitators, Math.Max(1, options.Districts / 9)))
                .Select(j => NewUser(faker, $"facilitator-{j}@bench.example.org")).ToList();
            db.Users.AddRange(facilitators);
            db.UserRoles.AddRange(facilitators.Select(f => new IdentityUserRole<string> { UserId = f.Id, RoleId = facilitatorRole.Id }));
            facilitatorIds = facilitators.Select(f => f.Id).ToArray();
            facilitatorRoleId = facilitatorRole.Id;
            await db.SaveChangesAsync();
            Count("users", 1 + facilitators.Count);
        }

        var targets = new List<DistrictResult>();
        for (var start = 0; start < options.Districts; start += ChunkSize)
        {
            await using var db = NewContext(connection);
            var chunk = Enumerable.Range(start, Math.Min(ChunkSize, options.Districts - start))
                .Select(i => new DistrictPlan(i, buildingCounts[i], userCounts[i], facilitatorIds[i % facilitatorIds.Length]))
                .ToList();
            targets.AddRange(await WriteChunkAsync(db, chunk));
            if ((start / ChunkSize) % 5 == 4 || start + ChunkSize >= options.Districts)
                Console.WriteLine($"  {Math.Min(start + ChunkSize, options.Districts)} of {options.Districts} districts ({clock.Elapsed.TotalSeconds:0.0} s)");
        }

        BenchDesk desk;
        await using (var db = NewContext(connection))
            desk = await WriteNetworksAsync(db, targets, facilitatorRoleId);

        if (connection is SqliteConnection finalConnection)
        {
            using var command = finalConnection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=FULL; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }
        clock.Stop();

        var first = targets[0];
        var manifest = new BenchManifest(
            Password, options.Districts, options.Seed, Math.Round(clock.Elapsed.TotalSeconds, 1),
            new BenchTarget(first.LeaderEmail, first.DistrictId, first.CurrentCycleId, first.FirstGroupId, first.SubmittedBuildingId),
            targets.Take(32).Select(t => new BenchSaver(t.LeaderEmail, t.DistrictId, t.CurrentCycleId, t.FirstGroupId)).ToList(),
            new SortedDictionary<string, int>(_counts), desk,
            Is(DatabaseOptions.Sqlite) ? DatabaseOptions.Sqlite : options.Provider, Is(DatabaseOptions.Sqlite) ? null : options.Connection);
        return manifest;
    }

    public const string DeskFacilitatorEmail = "desk-facilitator@bench.example.org";
    private const int DeskDistricts = 40;

    /// <summary>Most districts share their results with networks; the rest keep them to themselves.</summary>
    private static bool Shares(int index) => index % 8 != 5;

    /// <summary>
    /// Networks: one statewide network of every district (coordinated by the desk facilitator) and five ISD-sized ones of
    /// 20 to 40 districts; a practice note on a finalized row of last year from every fourth sharing district; and a
    /// facilitator whose desk holds 40 districts spread over the state.
    /// </summary>
    private async Task<BenchDesk> WriteNetworksAsync(AppDbContext db, List<DistrictResult> districts, string facilitatorRoleId)
    {
        var faker = new Faker("en") { Random = new Randomizer(options.Seed + 13) };
        var deskUser = NewUser(faker, DeskFacilitatorEmail);
        db.Users.Add(deskUser);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = deskUser.Id, RoleId = facilitatorRoleId });
        var n = districts.Count;
        var deskDistricts = Enumerable.Range(0, Math.Min(DeskDistricts, n)).Select(i => districts[i * n / Math.Min(DeskDistricts, n)].DistrictId).Distinct().ToList();
        db.FacilitatorAssignments.AddRange(deskDistricts.Select(id => new FacilitatorAssignment { DistrictId = id, UserId = deskUser.Id, AssignedAt = Now.AddDays(-60) }));
        Count("users", 1);

        var statewide = new Network
        {
            Name = "Michigan Statewide Network", Description = "Every district of the state, for statewide benchmarks.", CoordinatorUserId = deskUser.Id, CreatedAt = Now.AddYears(-2),
        };
        statewide.Members.AddRange(districts.Select(d => new NetworkMembership { DistrictId = d.DistrictId, AddedAt = statewide.CreatedAt }));
        var networks = new List<Network> { statewide };
        for (var k = 0; k < 5 && n > 1; k++)
        {
            var first = k * n / 5;
            var size = Math.Min(20 + 5 * k, n - first);
            var network = new Network { Name = $"Region {k + 1} Improvement Network", Description = "An ISD's districts that meet three times a year.", CreatedAt = Now.AddYears(-1) };
            network.Members.AddRange(districts.Skip(first).Take(size).Select(d => new NetworkMembership { DistrictId = d.DistrictId, AddedAt = network.CreatedAt }));
            networks.Add(network);
        }
        db.Networks.AddRange(networks);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        Count("networks", networks.Count);
        Count("network memberships", networks.Sum(x => x.Members.Count));
        Count("districts sharing with networks", districts.Where((_, i) => Shares(i)).Count());

        // Notes are written about a finalized row, at the level the district reached on it.
        var writers = districts.Where((_, i) => Shares(i) && i % 4 == 1).Select(d => d.DistrictId).ToList();
        var lastYear = await db.ConsensusRatings.AsNoTracking().Where(c => writers.Contains(c.DistrictId))
            .Join(db.Cycles.Where(c => c.StartYear == CurrentYear - 1 && c.RubricFinalizedAt != null), c => c.CycleId, cy => cy.Id, (c, cy) => new { c.DistrictId, c.CycleId, c.RowKey, c.Level })
            .ToListAsync();
        var notes = 0;
        foreach (var (districtId, k) in writers.Select((id, k) => (id, k)))
        {
            var rows = lastYear.Where(c => c.DistrictId == districtId).OrderBy(c => c.RowKey, StringComparer.Ordinal).ToList();
            if (rows.Count == 0) continue;
            var row = rows[k % rows.Count];
            var at = Now.AddDays(-faker.Random.Int(1, 300));
            db.PracticeNotes.Add(new PracticeNote
            {
                DistrictId = districtId, CycleId = row.CycleId, RowKey = row.RowKey, Level = row.Level, Text = faker.Lorem.Sentences(3),
                ContactRole = k % 3 == 0 ? "" : "Director of school improvement", IsAnonymous = k % 2 == 0, CreatedByUserId = "", CreatedAt = at, UpdatedAt = at,
            });
            notes++;
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        Count("practice notes", notes);
        return new BenchDesk(DeskFacilitatorEmail, deskDistricts.Count, statewide.Id, statewide.Members.Count);
    }

    private bool Is(string provider) => string.Equals(options.Provider, provider, StringComparison.OrdinalIgnoreCase);

    private System.Data.Common.DbConnection OpenConnection()
    {
        string ServerConnection() => options.Connection
            ?? throw new InvalidOperationException($"--connection is required with --provider {options.Provider}");
        System.Data.Common.DbConnection connection =
            Is(DatabaseOptions.SqlServer) ? new Microsoft.Data.SqlClient.SqlConnection(ServerConnection())
            : Is(DatabaseOptions.PostgreSql) ? new Npgsql.NpgsqlConnection(ServerConnection())
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.Output, Pooling = false }.ToString());
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Output));
        if (connection is SqliteConnection && folder is not null) Directory.CreateDirectory(folder);
        else
        {
            // A server database is made here if missing (as the app's start-up does), so --connection may name a new one.
            using var db = NewContext(connection);
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (!creator.Exists()) creator.Create();
        }
        connection.Open();
        return connection;
    }

    private AppDbContext NewContext(System.Data.Common.DbConnection connection)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        if (connection is SqliteConnection)
            builder.UseSqlite(connection, o => o.MigrationsAssembly(DatabaseSetup.SqliteMigrationsAssembly));
        else if (connection is Npgsql.NpgsqlConnection)
            builder.UseNpgsql(connection, o => o.MigrationsAssembly(DatabaseSetup.PostgreSqlMigrationsAssembly));
        else
            builder.UseSqlServer(connection, o => o.MigrationsAssembly(DatabaseSetup.SqlServerMigrationsAssembly));
        builder.AddSavePipeline(new NoCurrentUser(), TimeProvider.System);
        var db = new AppDbContext(builder.Options) { AuditEnabled = false };
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        return db;
    }

    private static IdentityRole Role(AppDbContext db, string name)
    {
        var role = db.Roles.SingleOrDefault(r => r.Name == name);
        if (role is not null) return role;
        role = new IdentityRole(name) { NormalizedName = name.ToUpperInvariant(), ConcurrencyStamp = System.Guid.NewGuid().ToString() };
        db.Roles.Add(role);
        db.SaveChanges();
        return role;
    }

    private AppUser NewUser(Faker f, string email, string? displayName = null) => new()
    {
        Id = NewGuid(f).ToString(),
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        PasswordHash = _passwordHash,
        SecurityStamp = NewGuid(f).ToString("N").ToUpperInvariant(),
        ConcurrencyStamp = NewGuid(f).ToString(),
        LockoutEnabled = true,
        DisplayName = displayName ?? f.Name.FullName(),
        CreatedAt = Now.AddDays(-f.Random.Int(30, 900)),
    };

    private static Guid NewGuid(Faker f) => new(f.Random.Bytes(16));

    /// <summary>Buildings per district: 1 to 7 or more, summing exactly to the requested total; district 1 always has four.</summary>
    private int[] BuildingCounts()
    {
        var n = options.Districts;
        if (n == 1) return [4];
        var total = Math.Max(n + 3, (int)((long)options.Buildings * n / 900));
        var random = new Randomizer(options.Seed + 7);
        var counts = Enumerable.Range(0, n).Select(i => i == 0 ? 4 : random.Int(1, 7)).ToArray();
        while (counts.Sum() != total)
        {
            var i = random.Int(1, n - 1);
            if (counts.Sum() < total) counts[i]++;
            else if (counts[i] > 1) counts[i]--;
        }
        return counts;
    }

    /// <summary>People per district (district team plus building teams), in proportion to its buildings, totalling the requested users.</summary>
    private int[] UserCounts(int[] buildings)
    {
        var n = options.Districts;
        if (n == 1) return [28];
        static int Minimum(int b) => 6 + 2 * b;
        var available = (int)((long)options.Users * n / 900) - 1 - Math.Min(Facilitators, n / 9);
        var totalBuildings = buildings.Sum();
        var counts = Enumerable.Range(0, n).Select(i => i == 0 ? 28 : Math.Max(Minimum(buildings[i]), (int)((long)available * buildings[i] / totalBuildings))).ToArray();
        var random = new Randomizer(options.Seed + 11);
        for (var guard = 0; counts.Sum() != available && guard < 10_000_000; guard++)
        {
            var i = random.Int(1, n - 1);
            if (counts.Sum() < available) counts[i]++;
            else if (counts[i] > Minimum(buildings[i])) counts[i]--;
        }
        return counts;
    }

    private sealed record DistrictPlan(int Index, int Buildings, int Users, string FacilitatorId);

    private sealed record DistrictResult(string LeaderEmail, int DistrictId, int CurrentCycleId, int FirstGroupId, int SubmittedBuildingId);

    private sealed class DistrictWork(DistrictPlan plan, Faker faker, District district)
    {
        public DistrictPlan Plan { get; } = plan;
        public Faker F { get; } = faker;
        public District District { get; } = district;
        public List<AppUser> DistrictTeam { get; } = [];
        public List<List<AppUser>> BuildingTeams { get; } = [];
        public List<BalanceTemplate> Templates { get; } = [];
        public List<RatingGroup> Groups { get; } = [];
        public List<RubricRating> Ratings { get; } = [];
        public double Progress { get; init; }
    }

    private static readonly string[] Suffixes = ["Public Schools", "Community Schools", "Area Schools", "School District", "Consolidated Schools", "Academy"];
    private static readonly string[] Isds = Enumerable.Range(0, 56).Select(i => $"Region {i + 1} ISD").ToArray();

    private async Task<List<DistrictResult>> WriteChunkAsync(AppDbContext db, List<DistrictPlan> plans)
    {
        // Phase 1: districts with their buildings and cycles, and their people.
        var work = new List<DistrictWork>();
        foreach (var plan in plans)
        {
            var f = new Faker("en") { Random = new Randomizer(options.Seed * 7919 + plan.Index) };
            var city = f.Address.City();
            var charter = plan.Index % 25 == 24;
            var district = new District
            {
                Name = charter ? $"{city} Academy" : $"{city} {Suffixes[f.Random.Int(0, Suffixes.Length - 2)]}",
                Code = (10000 + plan.Index).ToString("00000", CultureInfo.InvariantCulture),
                Isd = Isds[plan.Index % Isds.Length],
                SharesWithNetworks = Shares(plan.Index),
                AnyBuildingMemberMaySubmit = f.Random.Bool(0.8f),
                CreatedAt = Now.AddYears(-3),
            };
            for (var b = 0; b < plan.Buildings; b++)
            {
                var (kind, grades) = (b % 4) switch { 0 => ("Elementary", "K-5"), 1 => ("Elementary", "K-5"), 2 => ("Middle School", "6-8"), _ => ("High School", "9-12") };
                district.Buildings.Add(new Building { Name = $"{f.Name.LastName()} {kind}", Code = (b + 1).ToString("00000", CultureInfo.InvariantCulture), Grades = grades });
            }
            // How far the district is in the current cycle: 0 (just started) … 1 (finalized). District 1 is past half-way;
            // the first 32 districts stay open so the benchmark's rating saves are accepted.
            var progress = plan.Index == 0 ? 0.6 : f.Random.Double();
            var finalizedNow = plan.Index >= 32 && progress > 0.9;
            for (var y = CurrentYear - 2; y <= CurrentYear; y++)
            {
                var created = new DateTimeOffset(y, 8, 15, 12, 0, 0, TimeSpan.Zero);
                var finalized = y < CurrentYear || finalizedNow;
                district.Cycles.Add(new Cycle
                {
                    StartYear = y, ToolkitKey = _toolkit.Key, ToolkitVersion = _toolkit.Version, CreatedAt = created,
                    RubricFinalizedAt = finalized ? created.AddDays(55) : null,
                });
            }
            db.Districts.Add(district);

            var w = new DistrictWork(plan, f, district) { Progress = progress };
            var districtTeamSize = Math.Min(plan.Users - plan.Buildings, plan.Index == 0 ? 8 : f.Random.Int(5, 10));
            for (var k = 0; k < districtTeamSize; k++)
                w.DistrictTeam.Add(NewUser(f, k == 0 ? LeaderEmail(plan.Index) : $"d{plan.Index + 1}-team{k}@bench.example.org"));
            for (var b = 0; b < plan.Buildings; b++) w.BuildingTeams.Add([]);
            for (var k = 0; k < plan.Users - districtTeamSize; k++)
            {
                var b = k % plan.Buildings;
                var seat = w.BuildingTeams[b].Count;
                w.BuildingTeams[b].Add(NewUser(f, $"d{plan.Index + 1}-b{b + 1}-{seat + 1}@bench.example.org"));
            }
            db.Users.AddRange(w.DistrictTeam);
            foreach (var team in w.BuildingTeams) db.Users.AddRange(team);
            Count("users", plan.Users);
            Count("districts", 1);
            Count("buildings", plan.Buildings);
            Count("cycles", 3);
            work.Add(w);
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Phase 2: everything that needs the district, building, cycle and user keys.
        foreach (var w in work) AddDistrictWork(db, w);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Phase 3: comments and audit entries, which point at the records' keys.
        foreach (var w in work) AddReviewAndAudit(db, w);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Phase 4: the current cycle's plan. The districts whose people save in the benchmark get a large plan (their
        // check-ins are measured beside their rating saves, and district 1's monitoring meeting is read); every other
        // district one of a usual size, a level at a time, since each level needs the keys of the one above. Its own
        // random stream per district, so the records generated before plans existed stay as they were for a seed.
        foreach (var w in work.Where(w => w.Plan.Index < 32)) await AddPlanAsync(db, w);
        var drafts = work.Where(w => w.Plan.Index >= 32)
            .Select(w => new PlanDraft(w, new Faker("en") { Random = new Randomizer(options.Seed * 104729 + w.Plan.Index) })).ToList();
        foreach (var step in new Action<AppDbContext, PlanDraft>[] { AddGoals, AddStrategies, AddActivities, AddMeasures, AddCheckInsAndValues })
        {
            foreach (var draft in drafts) step(db, draft);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        // Phase 5: building monitoring reports of every plan, from a stream of their own (the plans stay as they were).
        await AddBuildingReportsAsync(db, work);

        return work.Select(w => new DistrictResult(LeaderEmail(w.Plan.Index), w.District.Id,
            w.District.Cycles.Single(c => c.StartYear == CurrentYear).Id,
            w.Groups.First(g => g.CycleId == w.District.Cycles.Single(c => c.StartYear == CurrentYear).Id && !g.IsWholeTeam).Id,
            w.Templates.Where(t => t.CycleId == w.District.Cycles.Single(c => c.StartYear == CurrentYear).Id && t.BuildingId is not null)
                .OrderBy(t => t.State == TemplateState.Submitted ? 0 : 1).Select(t => t.BuildingId!.Value).FirstOrDefault(w.District.Buildings[0].Id))).ToList();
    }

    /// <summary>
    /// A plan of a size a district writes: four goals of three strategies of five activities, check-ins by the district
    /// team over the year, an end target measure per goal and an interim measure per strategy with monthly values, some
    /// district-wide and some per building; a monitoring meeting a month ago.
    /// </summary>
    private async Task AddPlanAsync(AppDbContext db, DistrictWork w)
    {
        var f = w.F;
        var d = w.District;
        var cycle = d.Cycles.Single(c => c.StartYear == CurrentYear);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var team = w.DistrictTeam;
        var goals = Enumerable.Range(0, 4).Select(g => new PlanGoal
        {
            DistrictId = d.Id, CycleId = cycle.Id, Statement = f.Lorem.Sentence(14), SortOrder = g + 1, CreatedByUserId = team[0].Id, CreatedAt = cycle.CreatedAt.AddDays(60),
        }).ToList();
        db.PlanGoals.AddRange(goals);
        await db.SaveChangesAsync();
        var strategies = goals.SelectMany(g => Enumerable.Range(0, 3).Select(_ => new PlanStrategy
        {
            DistrictId = d.Id, CycleId = cycle.Id, GoalId = g.Id, Title = f.Lorem.Sentence(6), CreatedByUserId = team[0].Id, CreatedAt = g.CreatedAt,
        })).ToList();
        db.PlanStrategies.AddRange(strategies);
        await db.SaveChangesAsync();
        var activities = strategies.SelectMany(s => Enumerable.Range(0, 5).Select(a => new PlanActivity
        {
            DistrictId = d.Id, CycleId = cycle.Id, StrategyId = s.Id, Title = f.Lorem.Sentence(5), OwnerUserId = team[f.Random.Int(0, team.Count - 1)].Id,
            StartDate = today.AddDays(f.Random.Int(-120, -10)), DueDate = today.AddDays(f.Random.Int(-20, 150)),
            DoneDate = a == 4 && f.Random.Bool(0.5f) ? today.AddDays(-f.Random.Int(1, 40)) : null, AllBuildings = true,
            CreatedByUserId = team[0].Id, CreatedAt = s.CreatedAt,
        })).ToList();
        db.PlanActivities.AddRange(activities);
        var measures = goals.Select(g => new PlanMeasure
        {
            DistrictId = d.Id, CycleId = cycle.Id, GoalId = g.Id, Name = f.Lorem.Sentence(6), Kind = MeasureKind.Outcome, Unit = MeasureUnit.Percent,
            Better = BetterDirection.Higher, BaselineValue = 40, BaselineDate = today.AddDays(-330), EndTargetValue = 70, EndTargetDate = today.AddDays(200),
            CreatedByUserId = team[0].Id, CreatedAt = g.CreatedAt,
        }).Concat(strategies.Select(s => new PlanMeasure
        {
            DistrictId = d.Id, CycleId = cycle.Id, StrategyId = s.Id, Name = f.Lorem.Sentence(5), Kind = MeasureKind.Process, Unit = MeasureUnit.Count,
            Better = BetterDirection.Higher, CreatedByUserId = team[0].Id, CreatedAt = s.CreatedAt,
        })).ToList();
        db.PlanMeasures.AddRange(measures);
        await db.SaveChangesAsync();
        foreach (var activity in activities)
            for (var c = f.Random.Int(0, 4); c > 0; c--)
                db.PlanCheckIns.Add(new PlanCheckIn
                {
                    DistrictId = d.Id, CycleId = cycle.Id, ActivityId = activity.Id, Date = today.AddDays(-c * 25), Judgment = f.PickRandom<TeamJudgment>(),
                    Note = f.Lorem.Sentence(10), ByUserId = team[f.Random.Int(0, team.Count - 1)].Id, CreatedAt = Now.AddDays(-c * 25),
                });
        foreach (var measure in measures)
        {
            var percent = measure.Unit == MeasureUnit.Percent;
            for (var m = 0; m < 12; m++)
            {
                int? building = percent && m % 3 != 0 ? d.Buildings[m % d.Buildings.Count].Id : null;
                db.PlanMeasureValues.Add(new PlanMeasureValue
                {
                    DistrictId = d.Id, CycleId = cycle.Id, MeasureId = measure.Id, Date = today.AddDays(-30 * m - 1), BuildingId = building,
                    Value = percent ? 40 + f.Random.Int(0, 30) : f.Random.Int(2, 20), RecordedByUserId = team[0].Id, RecordedAt = Now.AddDays(-30 * m),
                });
            }
        }
        db.PlanMeetings.Add(new PlanMeeting { DistrictId = d.Id, CycleId = cycle.Id, HeldOn = today.AddDays(-30), RecordedByUserId = team[0].Id, RecordedAt = Now.AddDays(-30) });
        await db.SaveChangesAsync();
        Count("plan activities", activities.Count);
        Count("plan measures", measures.Count);
        db.ChangeTracker.Clear();
    }

    public static string LeaderEmail(int index) => $"leader-{index + 1}@bench.example.org";

    private void AddDistrictWork(AppDbContext db, DistrictWork w)
    {
        var f = w.F;
        var d = w.District;
        db.FacilitatorAssignments.Add(new FacilitatorAssignment { DistrictId = d.Id, UserId = w.Plan.FacilitatorId, AssignedAt = d.CreatedAt });
        TeamRole[] districtRoles = [TeamRole.DistrictLeader, TeamRole.SystemsRepresentative, TeamRole.BoardMember, TeamRole.CommunityRepresentative, TeamRole.SchoolRepresentative];
        for (var k = 0; k < w.DistrictTeam.Count; k++)
            db.TeamMemberships.Add(new TeamMembership { DistrictId = d.Id, UserId = w.DistrictTeam[k].Id, Role = k == 0 ? TeamRole.KeyLeader : districtRoles[k % districtRoles.Length], JoinedAt = d.CreatedAt });
        for (var b = 0; b < w.BuildingTeams.Count; b++)
            for (var k = 0; k < w.BuildingTeams[b].Count; k++)
                db.TeamMemberships.Add(new TeamMembership
                {
                    DistrictId = d.Id, BuildingId = d.Buildings[b].Id, UserId = w.BuildingTeams[b][k].Id, JoinedAt = d.CreatedAt,
                    Role = k == 0 ? TeamRole.BuildingLeader : k % 3 == 0 ? TeamRole.NonInstructionalStaff : TeamRole.InstructionalStaff,
                });
        Count("team memberships", w.DistrictTeam.Count + w.BuildingTeams.Sum(t => t.Count));

        var rows = _toolkit.Rubric.Rows;
        var leader = w.DistrictTeam[0].Id;
        foreach (var cycle in d.Cycles.OrderBy(c => c.StartYear))
        {
            var current = cycle.StartYear == CurrentYear;
            var at = cycle.CreatedAt.AddDays(30);
            var progress = current ? w.Progress : 1.0;

            var groupCount = w.Plan.Index == 0 ? 3 : f.Random.Int(2, 3);
            var whole = new RatingGroup { DistrictId = d.Id, CycleId = cycle.Id, Name = RatingGroup.WholeTeamName, IsWholeTeam = true };
            whole.Members.AddRange(w.DistrictTeam.Select(u => new RatingGroupMember { UserId = u.Id }));
            w.Groups.Add(whole);
            db.RatingGroups.Add(whole);
            for (var g = 0; g < groupCount; g++)
            {
                var group = new RatingGroup { DistrictId = d.Id, CycleId = cycle.Id, Name = $"Group {(char)('A' + g)}", SortOrder = g + 1 };
                group.Members.AddRange(w.DistrictTeam.Where((_, k) => k % groupCount == g).Select(u => new RatingGroupMember { UserId = u.Id }));
                var rated = current ? (int)Math.Round(rows.Count * Math.Min(1, progress * 1.5)) : rows.Count;
                foreach (var row in rows.Take(Math.Max(1, rated)))
                {
                    var rating = new RubricRating
                    {
                        DistrictId = d.Id, CycleId = cycle.Id, RowKey = row.Key, Level = f.Random.Int(1, 4), Evidence = f.Lorem.Sentence(f.Random.Int(8, 24)),
                        UpdatedByUserId = group.Members.Count > 0 ? group.Members[0].UserId : leader, UpdatedAt = at.AddHours(f.Random.Int(1, 300)),
                    };
                    group.Ratings.Add(rating);
                    w.Ratings.Add(rating);
                }
                Count("rubric ratings", group.Ratings.Count);
                w.Groups.Add(group);
                db.RatingGroups.Add(group);
            }
            Count("rating groups", groupCount + 1);

            var consensusRows = cycle.RubricFinalizedAt is not null ? rows.Count : (int)(rows.Count * Math.Max(0, progress - 0.4) / 0.6);
            foreach (var row in rows.Take(consensusRows))
                db.ConsensusRatings.Add(new ConsensusRating
                {
                    DistrictId = d.Id, CycleId = cycle.Id, RowKey = row.Key, Level = Math.Min(4, 1 + (CurrentYear - cycle.StartYear == 2 ? 0 : 1) + f.Random.Int(0, 1)),
                    Rationale = f.Lorem.Sentence(12), RecordedByUserId = leader, RecordedAt = at.AddDays(20),
                });
            Count("consensus ratings", consensusRows);

            foreach (var question in _toolkit.Rubric.DiscussionQuestions.Take(current ? (int)(4 * progress) : 4))
                db.DiscussionNotes.Add(new DiscussionNote { DistrictId = d.Id, CycleId = cycle.Id, QuestionKey = question.Key, Text = f.Lorem.Paragraph(), UpdatedByUserId = leader, UpdatedAt = at.AddDays(22) });

            var actions = f.Random.Int(3, 8);
            for (var a = 0; a < actions; a++)
            {
                var status = current ? f.PickRandom<ActionStatus>() : ActionStatus.Done;
                db.ActionItems.Add(new ActionItem
                {
                    DistrictId = d.Id, CycleId = cycle.Id, Title = f.Lorem.Sentence(f.Random.Int(5, 12)).TrimEnd('.'),
                    SourceKey = f.PickRandom("begin-shift", "maintain-shift", ""), OwnerUserId = f.PickRandom(w.DistrictTeam).Id,
                    DueDate = DateOnly.FromDateTime(at.AddDays(f.Random.Int(20, 200)).UtcDateTime), Status = status,
                    CreatedByUserId = leader, CreatedAt = at.AddDays(22), CompletedAt = status == ActionStatus.Done ? at.AddDays(60) : null,
                });
            }
            Count("action items", actions);

            for (var b = 0; b < d.Buildings.Count; b++)
            {
                TemplateState? state = current
                    ? (w.Plan.Index == 0 ? b : f.Random.Int(-1, 3)) switch { 0 => TemplateState.Draft, 1 => TemplateState.Submitted, 2 => TemplateState.Returned, 3 => TemplateState.Accepted, _ => null }
                    : TemplateState.Accepted;
                if (state is null) continue;
                var buildingTeam = w.BuildingTeams[b];
                w.Templates.Add(AddTemplate(db, w, cycle, d.Buildings[b].Id, state.Value, buildingTeam.Count > 0 ? buildingTeam[0].Id : leader, at));
            }
            w.Templates.Add(AddTemplate(db, w, cycle, null, TemplateState.Draft, leader, at.AddDays(40)));
        }
    }

    private BalanceTemplate AddTemplate(AppDbContext db, DistrictWork w, Cycle cycle, int? buildingId, TemplateState state, string userId, DateTimeOffset at)
    {
        var f = w.F;
        var slots = buildingId is null ? TemplateWorkflow.DistrictSlots(_toolkit.Balance) : TemplateWorkflow.BuildingSlots(_toolkit.Balance);
        var complete = state != TemplateState.Draft;
        var template = new BalanceTemplate
        {
            DistrictId = w.District.Id, CycleId = cycle.Id, BuildingId = buildingId, State = state, CreatedAt = at, UpdatedAt = at.AddDays(10),
            BuildingsAnswer = complete ? f.Lorem.Sentence(15) : "", DistrictsAnswer = complete ? f.Lorem.Sentence(15) : "", CommonAnswer = complete ? f.Lorem.Sentence(12) : "",
            SubmittedAt = state is TemplateState.Submitted or TemplateState.Accepted or TemplateState.Returned ? at.AddDays(12) : null,
            DecidedAt = state is TemplateState.Accepted or TemplateState.Returned ? at.AddDays(15) : null,
        };
        foreach (var slot in slots.Take(complete ? slots.Count : f.Random.Int(0, slots.Count)))
        {
            var status = f.PickRandom<FunctionStatus>();
            template.Items.Add(new BalanceTemplateItem
            {
                DistrictId = w.District.Id, RowNumber = slot.RowNumber, Function = slot.Function, Status = status, Evidence = f.Lorem.Sentence(f.Random.Int(6, 20)),
                NextAction = status == FunctionStatus.InPlace ? "" : f.Lorem.Sentence(8), Owner = status == FunctionStatus.InPlace ? "" : f.Name.JobTitle(),
                TargetDate = status == FunctionStatus.InPlace ? null : DateOnly.FromDateTime(at.AddDays(f.Random.Int(30, 200)).UtcDateTime),
            });
        }
        void Move(TemplateState from, TemplateState to, int day, string comment) => template.Transitions.Add(new TemplateTransition
        {
            DistrictId = w.District.Id, From = from, To = to, UserId = userId, At = at.AddDays(day), Comment = comment,
        });
        if (state != TemplateState.Draft) Move(TemplateState.Draft, TemplateState.Submitted, 12, "");
        if (state == TemplateState.Returned) Move(TemplateState.Submitted, TemplateState.Returned, 15, f.Lorem.Sentence(10));
        if (state == TemplateState.Accepted) Move(TemplateState.Submitted, TemplateState.Accepted, 15, "");
        db.BalanceTemplates.Add(template);
        Count($"templates ({(buildingId is null ? "district" : "building")}, {state})", 1);
        Count("template items", template.Items.Count);
        Count("template transitions", template.Transitions.Count);
        return template;
    }

    private void AddReviewAndAudit(AppDbContext db, DistrictWork w)
    {
        var f = w.F;
        var comments = 0;
        var reviewer = w.DistrictTeam[Math.Min(1, w.DistrictTeam.Count - 1)].Id;
        void AddComment(Comment comment) { db.Comments.Add(comment); comments++; }
        foreach (var template in w.Templates.Where(t => t.BuildingId is not null && t.State != TemplateState.Draft))
        {
            AddComment(new Comment
            {
                DistrictId = w.District.Id, CycleId = template.CycleId, TargetType = CommentTarget.Template, TargetKey = template.Id.ToString(CultureInfo.InvariantCulture),
                Body = f.Lorem.Sentence(14), AuthorUserId = reviewer, CreatedAt = template.UpdatedAt,
            });
            foreach (var item in template.Items.Where(_ => f.Random.Bool(0.25f)))
                AddComment(new Comment
                {
                    DistrictId = w.District.Id, CycleId = template.CycleId, TargetType = CommentTarget.TemplateItem,
                    TargetKey = $"{template.Id}:{item.RowNumber}-{item.Function}", Body = f.Lorem.Sentence(10), AuthorUserId = reviewer, CreatedAt = template.UpdatedAt,
                });
        }
        foreach (var cycle in w.District.Cycles)
            foreach (var row in _toolkit.Rubric.Rows.Where(_ => f.Random.Bool(0.3f)))
                AddComment(new Comment
                {
                    DistrictId = w.District.Id, CycleId = cycle.Id, TargetType = CommentTarget.RubricRow, TargetKey = row.Key,
                    Body = f.Lorem.Sentence(12), AuthorUserId = w.Plan.FacilitatorId, CreatedAt = cycle.CreatedAt.AddDays(35),
                });

        // The audit trail as the app writes it: one entry per changed field of each rating and template move.
        foreach (var rating in w.Ratings)
        {
            foreach (var (field, value) in new[] { ("Level", rating.Level?.ToString(CultureInfo.InvariantCulture)), ("Evidence", rating.Evidence) })
                db.AuditEntries.Add(new AuditEntry
                {
                    DistrictId = w.District.Id, UserId = rating.UpdatedByUserId, At = rating.UpdatedAt, EntityType = nameof(RubricRating),
                    EntityId = rating.Id.ToString(CultureInfo.InvariantCulture), Action = AuditAction.Create, Field = field, NewValue = value,
                });
            Count("audit entries", 2);
        }
        foreach (var template in w.Templates)
            foreach (var move in template.Transitions)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    DistrictId = w.District.Id, UserId = move.UserId, At = move.At, EntityType = nameof(BalanceTemplate),
                    EntityId = template.Id.ToString(CultureInfo.InvariantCulture), Action = AuditAction.Update, Field = "State",
                    OldValue = move.From.ToString(), NewValue = move.To.ToString(),
                });
                Count("audit entries", 1);
            }
        Count("comments", comments);
    }

    /// <summary>A district's plan as it is built, level by level.</summary>
    private sealed class PlanDraft(DistrictWork work, Faker faker)
    {
        public DistrictWork Work { get; } = work;
        public Faker F { get; } = faker;
        public Cycle Cycle { get; } = work.District.Cycles.Single(c => c.StartYear == CurrentYear);
        public List<PlanGoal> Goals { get; } = [];
        public List<PlanStrategy> Strategies { get; } = [];
        public List<PlanActivity> Activities { get; } = [];
        public List<PlanMeasure> Measures { get; } = [];
    }

    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private void AddGoals(AppDbContext db, PlanDraft p)
    {
        var f = p.F;
        var rows = _toolkit.Rubric.Rows;
        var goals = f.Random.Int(2, 4);
        for (var g = 0; g < goals; g++)
        {
            var goal = new PlanGoal
            {
                DistrictId = p.Cycle.DistrictId, CycleId = p.Cycle.Id, SortOrder = g,
                Statement = $"By June {CurrentYear + 1}, {f.Lorem.Sentence(f.Random.Int(10, 20)).TrimEnd('.').ToLowerInvariant()}.",
                State = g == goals - 1 && f.Random.Bool(0.3f) ? GoalState.Maintenance : GoalState.Active,
                RubricRowKeys = PlanRules.FormatRowKeys(f.PickRandom(rows, f.Random.Int(1, 3)).Select(r => r.Key)),
                CreatedByUserId = p.Work.DistrictTeam[0].Id, CreatedAt = p.Cycle.CreatedAt.AddDays(70),
            };
            p.Goals.Add(goal);
            db.PlanGoals.Add(goal);
        }
        Count("plan goals", goals);
    }

    private void AddStrategies(AppDbContext db, PlanDraft p)
    {
        var f = p.F;
        foreach (var goal in p.Goals)
        {
            var strategies = f.Random.Int(1, 3);
            for (var s = 0; s < strategies; s++)
            {
                var strategy = new PlanStrategy
                {
                    DistrictId = goal.DistrictId, CycleId = goal.CycleId, GoalId = goal.Id, Title = f.Lorem.Sentence(f.Random.Int(4, 9)).TrimEnd('.'),
                    Systems = PlanRules.AllSystems.Where(_ => f.Random.Bool(0.25f)).Aggregate(PlanSystems.None, (all, one) => all | one),
                    FundingSource = f.PickRandom("Title I", "Title II-A", "Section 31a", "General fund", ""),
                    PlannedAmount = f.Random.Bool(0.6f) ? f.Random.Int(5, 200) * 500m : null,
                    CreatedByUserId = goal.CreatedByUserId, CreatedAt = goal.CreatedAt.AddDays(2),
                };
                p.Strategies.Add(strategy);
                db.PlanStrategies.Add(strategy);
            }
            Count("plan strategies", strategies);
        }
    }

    /// <summary>10–30 activities over the strategies, in every derived state on the generator's today.</summary>
    private void AddActivities(AppDbContext db, PlanDraft p)
    {
        var f = p.F;
        var owners = p.Work.DistrictTeam;
        var activities = f.Random.Int(10, 30);
        for (var a = 0; a < activities; a++)
        {
            var strategy = p.Strategies[a % p.Strategies.Count];
            // Cycling through the states makes each appear in every district; the dates around them vary.
            var (start, due, done) = (a % 5) switch
            {
                0 => (Today.AddDays(-f.Random.Int(60, 120)), Today.AddDays(-f.Random.Int(5, 40)), (DateOnly?)Today.AddDays(-f.Random.Int(1, 40))), // done
                1 => (Today.AddDays(-f.Random.Int(40, 100)), Today.AddDays(-f.Random.Int(1, 30)), null), // overdue
                2 => (Today.AddDays(-f.Random.Int(20, 60)), Today.AddDays(f.Random.Int(0, 14)), null), // approaching
                3 => (Today.AddDays(-f.Random.Int(10, 60)), Today.AddDays(f.Random.Int(20, 180)), null), // on target
                _ => (Today.AddDays(f.Random.Int(5, 60)), Today.AddDays(f.Random.Int(70, 200)), null), // not started
            };
            var activity = new PlanActivity
            {
                DistrictId = strategy.DistrictId, CycleId = strategy.CycleId, StrategyId = strategy.Id, Title = f.Lorem.Sentence(f.Random.Int(4, 10)).TrimEnd('.'),
                OwnerUserId = f.Random.Bool(0.9f) ? f.PickRandom(owners).Id : null, StartDate = start, DueDate = due, DoneDate = done,
                CreatedByUserId = strategy.CreatedByUserId, CreatedAt = strategy.CreatedAt.AddDays(1),
            };
            p.Activities.Add(activity);
            db.PlanActivities.Add(activity);
        }
        Count("plan activities", activities);
    }

    /// <summary>2–6 measures, on goals mostly, some on a strategy or an activity.</summary>
    private void AddMeasures(AppDbContext db, PlanDraft p)
    {
        var f = p.F;
        var measures = f.Random.Int(2, 6);
        for (var m = 0; m < measures; m++)
        {
            var unit = f.PickRandom<MeasureUnit>();
            var better = f.Random.Bool(0.75f) ? BetterDirection.Higher : BetterDirection.Lower;
            var baseline = unit == MeasureUnit.Percent ? f.Random.Int(20, 70) : f.Random.Int(5, 400);
            var measure = new PlanMeasure
            {
                DistrictId = p.Cycle.DistrictId, CycleId = p.Cycle.Id, Name = f.Lorem.Sentence(f.Random.Int(3, 7)).TrimEnd('.'),
                Kind = m == 0 ? MeasureKind.Outcome : f.PickRandom<MeasureKind>(), Unit = unit, Better = better,
                BaselineValue = baseline, BaselineDate = Today.AddDays(-200),
                EndTargetValue = better == BetterDirection.Higher ? baseline * 1.2m : baseline * 0.8m, EndTargetDate = new DateOnly(CurrentYear + 1, 6, 15),
                DataSource = f.PickRandom("Benchmark assessment", "Attendance system", "Survey", "Walkthrough tool"),
                CreatedByUserId = p.Work.DistrictTeam[0].Id, CreatedAt = p.Cycle.CreatedAt.AddDays(75),
            };
            // A measure belongs to one goal, strategy or activity, mostly goals.
            switch (m % 3)
            {
                case 0: measure.GoalId = p.Goals[m % p.Goals.Count].Id; break;
                case 1: measure.StrategyId = p.Strategies[m % p.Strategies.Count].Id; break;
                default: measure.ActivityId = p.Activities[m % p.Activities.Count].Id; break;
            }
            p.Measures.Add(measure);
            db.PlanMeasures.Add(measure);
        }
        Count("plan measures", measures);
    }

    private void AddCheckInsAndValues(AppDbContext db, PlanDraft p)
    {
        var f = p.F;
        var checkIns = 0;
        foreach (var activity in p.Activities.Where(a => a.StartDate <= Today))
        {
            var until = activity.DoneDate ?? Today;
            var span = until.DayNumber - activity.StartDate!.Value.DayNumber;
            // Some activities are left without a recent check-in, so "no check-in for 30 days" shows too.
            var count = span <= 0 ? 0 : f.Random.Int(0, Math.Min(4, 1 + span / 20));
            for (var c = 0; c < count; c++)
                db.PlanCheckIns.Add(new PlanCheckIn
                {
                    DistrictId = activity.DistrictId, CycleId = activity.CycleId, ActivityId = activity.Id,
                    Date = activity.StartDate.Value.AddDays(span * (c + 1) / (count + 1)), Judgment = f.PickRandom<TeamJudgment>(),
                    Note = f.Lorem.Sentence(f.Random.Int(6, 18)), EvidenceLink = f.Random.Bool(0.3f) ? $"https://docs.example.org/{f.Random.AlphaNumeric(10)}" : null,
                    ByUserId = activity.OwnerUserId ?? p.Work.DistrictTeam[0].Id, CreatedAt = Now,
                });
            checkIns += count;
        }
        Count("plan check-ins", checkIns);

        var values = 0;
        foreach (var measure in p.Measures)
        {
            var count = f.Random.Int(10, 20);
            var level = (double)measure.BaselineValue!.Value;
            var step = (double)(measure.EndTargetValue!.Value - measure.BaselineValue.Value) / 30;
            for (var v = 0; v < count; v++)
            {
                level += step + f.Random.Double(-1, 1) * Math.Abs(step) * 3;
                var value = Math.Round((decimal)Math.Max(0, measure.Unit == MeasureUnit.Percent ? Math.Min(100, level) : level), 1);
                var date = Today.AddDays(-7 * (count - v));
                db.PlanMeasureValues.Add(new PlanMeasureValue
                {
                    DistrictId = measure.DistrictId, CycleId = measure.CycleId, MeasureId = measure.Id, Date = date, Value = value,
                    RecordedByUserId = measure.CreatedByUserId, RecordedAt = new DateTimeOffset(date.ToDateTime(new TimeOnly(16, 0)), TimeSpan.Zero),
                });
            }
            values += count;
        }
        Count("plan measure values", values);
    }

    /// <summary>
    /// Building monitoring reports for every district with a plan: 2–3 periods of the school year (the first due shortly
    /// before the generator's today), 1–3 reported measures, and per building and period a report in a realistic mix of
    /// states: a period past its due date mostly accepted or submitted, some returned with a comment, a few drafts or
    /// not started; a period to come a few early drafts or submissions. A report holds a value of each reported measure and
    /// a status of each open activity the building takes part in; an accepted report's values are copied into the measures'
    /// values as the app's acceptance does (ADR 24).
    /// </summary>
    private async Task AddBuildingReportsAsync(AppDbContext db, List<DistrictWork> work)
    {
        var cycleIds = work.Select(w => w.District.Cycles.Single(c => c.StartYear == CurrentYear).Id).ToList();
        var measures = (await db.PlanMeasures.AsNoTracking().Where(m => cycleIds.Contains(m.CycleId) && m.ArchivedAt == null)
            .Select(m => new { m.Id, m.CycleId, m.Unit, m.BaselineValue }).ToListAsync()).OrderBy(m => m.Id).ToLookup(m => m.CycleId);
        var activities = (await db.PlanActivities.AsNoTracking().Where(a => cycleIds.Contains(a.CycleId) && a.DoneDate == null)
            .Select(a => new { a.Id, a.CycleId, a.AllBuildings, Buildings = db.PlanActivityBuildings.Where(b => b.ActivityId == a.Id).Select(b => b.BuildingId).ToList() })
            .ToListAsync()).OrderBy(a => a.Id).ToLookup(a => a.CycleId);
        var copies = new List<(BuildingReport Report, DateOnly Date, string UserId)>();
        var reports = 0;
        // The periods first (the reports need their keys), each district from its own stream, kept for its reports.
        var settings = work.Select(w =>
        {
            var f = new Faker("en") { Random = new Randomizer(options.Seed * 15485863 + w.Plan.Index) };
            var d = w.District;
            var cycle = d.Cycles.Single(c => c.StartYear == CurrentYear);
            var chosen = f.PickRandom(measures[cycle.Id], Math.Min(measures[cycle.Id].Count(), f.Random.Int(1, 3))).OrderBy(m => m.Id).ToList();
            db.ReportedMeasures.AddRange(chosen.Select(m => new ReportedMeasure { DistrictId = d.Id, CycleId = cycle.Id, MeasureId = m.Id }));
            // Fall (due a few days before today), then winter and spring, or fall and spring only.
            var dues = f.Random.Bool(0.6f)
                ? new[] { ("Fall", Today.AddDays(-f.Random.Int(3, 12))), ("Winter", new DateOnly(CurrentYear + 1, 1, 29).AddDays(f.Random.Int(-7, 7))), ("Spring", new DateOnly(CurrentYear + 1, 5, 14).AddDays(f.Random.Int(-7, 7))) }
                : new[] { ("Fall", Today.AddDays(-f.Random.Int(3, 12))), ("Spring", new DateOnly(CurrentYear + 1, 4, 30).AddDays(f.Random.Int(-7, 7))) };
            var periods = dues.Select(p => new MonitoringPeriod
            {
                DistrictId = d.Id, CycleId = cycle.Id, Name = p.Item1, DueDate = p.Item2, CreatedByUserId = w.DistrictTeam[0].Id, CreatedAt = cycle.CreatedAt.AddDays(70),
            }).ToList();
            db.MonitoringPeriods.AddRange(periods);
            return (Work: w, F: f, Cycle: cycle, Chosen: chosen, Periods: periods);
        }).ToList();
        await db.SaveChangesAsync();
        foreach (var (w, f, cycle, chosen, periods) in settings)
        {
            var d = w.District;
            var reviewer = w.DistrictTeam[0].Id;
            foreach (var period in periods)
            {
                var due = period.DueDate;
                for (var b = 0; b < d.Buildings.Count; b++)
                {
                    var past = due <= Today;
                    // Not started, draft, submitted, returned, accepted.
                    var state = past
                        ? f.Random.WeightedRandom(new TemplateState?[] { null, TemplateState.Draft, TemplateState.Submitted, TemplateState.Returned, TemplateState.Accepted }, [0.1f, 0.15f, 0.25f, 0.15f, 0.35f])
                        : due.DayNumber - Today.DayNumber <= 100
                            ? f.Random.WeightedRandom(new TemplateState?[] { null, TemplateState.Draft, TemplateState.Submitted }, [0.5f, 0.4f, 0.1f])
                            : f.Random.WeightedRandom(new TemplateState?[] { null, TemplateState.Draft }, [0.8f, 0.2f]);
                    if (state is not { } reached) continue;
                    var building = d.Buildings[b];
                    var author = w.BuildingTeams[b].Count > 0 ? w.BuildingTeams[b][0].Id : reviewer;
                    var complete = reached != TemplateState.Draft;
                    var started = past ? due.ToDateTime(new TimeOnly(15, 0)).AddDays(-f.Random.Int(8, 20)) : Now.UtcDateTime.AddDays(-f.Random.Int(5, 20));
                    var report = new BuildingReport
                    {
                        DistrictId = d.Id, CycleId = cycle.Id, PeriodId = period.Id, BuildingId = building.Id, State = reached,
                        Recommendations = complete || f.Random.Bool(0.4f) ? f.Lorem.Sentence(f.Random.Int(8, 24)) : "",
                        CreatedAt = new DateTimeOffset(started, TimeSpan.Zero), UpdatedAt = new DateTimeOffset(started, TimeSpan.Zero),
                    };
                    foreach (var m in chosen)
                    {
                        var percent = m.Unit == MeasureUnit.Percent;
                        var around = (double)(m.BaselineValue ?? (percent ? 50 : 20));
                        var value = Math.Round((decimal)Math.Max(0, Math.Min(percent ? 100 : double.MaxValue, around * (1 + f.Random.Double(-0.2, 0.3)))), 1);
                        report.Values.Add(new BuildingReportValue
                        {
                            DistrictId = d.Id, MeasureId = m.Id, Value = complete || f.Random.Bool(0.6f) ? value : null,
                            Note = f.Random.Bool(0.3f) ? f.Lorem.Sentence(f.Random.Int(4, 10)) : "",
                        });
                    }
                    foreach (var a in activities[cycle.Id].Where(a => a.AllBuildings || a.Buildings.Contains(building.Id)))
                        report.Activities.Add(new BuildingReportActivity
                        {
                            DistrictId = d.Id, ActivityId = a.Id, Judgment = complete || f.Random.Bool(0.5f) ? f.PickRandom<TeamJudgment>() : null,
                            Note = f.Random.Bool(0.25f) ? f.Lorem.Sentence(f.Random.Int(4, 10)) : "",
                        });
                    // The moves the state took: submitted, then returned (with a comment) or accepted, sometimes after a
                    // return and a resubmission. Submitted by the due date, or late by a few days; decided a few days later.
                    var at = new DateTimeOffset(started.AddDays(f.Random.Int(2, 7)), TimeSpan.Zero);
                    void Move(TemplateState from, TemplateState to, string user, string comment)
                    {
                        at = Min(at.AddDays(f.Random.Int(1, 6)), Now.AddHours(-1));
                        report.Transitions.Add(new BuildingReportTransition { DistrictId = d.Id, From = from, To = to, UserId = user, At = at, Comment = comment });
                        report.UpdatedAt = at;
                        if (to == TemplateState.Submitted) report.SubmittedAt = at;
                        else report.DecidedAt = at;
                    }
                    if (complete)
                    {
                        Move(TemplateState.Draft, TemplateState.Submitted, author, "");
                        if (reached == TemplateState.Returned || (reached == TemplateState.Accepted && f.Random.Bool(0.25f)))
                            Move(TemplateState.Submitted, TemplateState.Returned, reviewer, f.PickRandom(
                                "Please add a note on the activities at risk.", "The value of the survey looks like last year's; check it.",
                                "Say what support the building needs from the district.", "Add the walkthrough counts for October."));
                        if (reached == TemplateState.Accepted)
                        {
                            if (report.Transitions.Count == 2) Move(TemplateState.Returned, TemplateState.Submitted, author, "");
                            Move(TemplateState.Submitted, TemplateState.Accepted, reviewer, "");
                            copies.Add((report, BuildingReportRules.ValueDate(due, DateOnly.FromDateTime(report.SubmittedAt!.Value.UtcDateTime)), reviewer));
                        }
                    }
                    db.BuildingReports.Add(report);
                    reports++;
                }
            }
        }
        await db.SaveChangesAsync();
        // The accepted reports' values on their measures, pointing at their report.
        foreach (var (report, date, userId) in copies)
            db.PlanMeasureValues.AddRange(report.Values.Where(v => v.Value is not null).Select(v => new PlanMeasureValue
            {
                DistrictId = report.DistrictId, CycleId = report.CycleId, MeasureId = v.MeasureId, Date = date, Value = v.Value!.Value, BuildingId = report.BuildingId,
                Note = v.Note, RecordedByUserId = userId, RecordedAt = report.DecidedAt!.Value, SourceReportId = report.Id,
            }));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        Count("monitoring periods", settings.Sum(x => x.Periods.Count));
        Count("building reports", reports);
        Count("report values on measures", copies.Sum(c => c.Report.Values.Count(v => v.Value is not null)));

        static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    }

    private void Count(string what, int n) => _counts[what] = _counts.GetValueOrDefault(what) + n;
}
