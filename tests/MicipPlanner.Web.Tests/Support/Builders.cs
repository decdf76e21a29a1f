using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// Arranges districts, cycles, rating groups and building templates straight in the test's database, with sensible
/// defaults, so a test names only what matters to it:
/// <code>
/// var district = await Build.District(db).WithBuilding("North").WithCycle(2026).SaveAsync();
/// var cycle = await Build.Cycle(db, districtId).SaveAsync();            // the next school year, "Whole team" group
/// await Build.Group(db, cycle).Named("Group C").WithMembers(userId).SaveAsync();
/// await Build.Template(db, cycle, buildingId).InState(TemplateState.Submitted).WithItems(...).SaveAsync();
/// </code>
/// </summary>
public static class Build
{
    /// <summary>The toolkit new cycles use (the app's default).</summary>
    public static ToolkitDefinition Toolkit { get; } = ToolkitCatalog.LoadEmbedded().Default;

    public static DistrictBuilder District(AppDbContext db) => new(db);

    public static CycleBuilder Cycle(AppDbContext db, int districtId) => new(db, districtId);

    public static RatingGroupBuilder Group(AppDbContext db, Cycle cycle) => new(db, cycle.DistrictId, cycle.Id);

    public static RatingGroupBuilder Group(AppDbContext db, int districtId, int cycleId) => new(db, districtId, cycleId);

    public static BuildingTemplateBuilder Template(AppDbContext db, Cycle cycle, int buildingId) => new(db, cycle.DistrictId, cycle.Id, buildingId);

    public static BuildingTemplateBuilder Template(AppDbContext db, int districtId, int cycleId, int buildingId) => new(db, districtId, cycleId, buildingId);

    private static int _next;

    /// <summary>A number no other built record of this test run has, for unique names and codes.</summary>
    internal static int Next() => Interlocked.Increment(ref _next);
}

/// <summary>A district (not sharing with networks unless asked) with the buildings and cycles given.</summary>
public sealed class DistrictBuilder(AppDbContext db)
{
    private readonly int _n = Build.Next();
    private readonly District _district = new();
    private readonly List<Building> _buildings = [];
    private readonly List<Action<CycleBuilder>> _cycles = [];

    public DistrictBuilder Named(string name)
    {
        _district.Name = name;
        return this;
    }

    public DistrictBuilder Coded(string code)
    {
        _district.Code = code;
        return this;
    }

    public DistrictBuilder SharingWithNetworks(bool shares = true)
    {
        _district.SharesWithNetworks = shares;
        return this;
    }

    /// <summary>A building; its code defaults to a unique one, grades to K-5.</summary>
    public DistrictBuilder WithBuilding(string name, string? code = null, string grades = "K-5")
    {
        _buildings.Add(new Building { Name = name, Code = code ?? $"6{Build.Next() % 10000:0000}", Grades = grades });
        return this;
    }

    /// <summary>A cycle starting in <paramref name="startYear"/> (e.g. 2026 for 2026-27), configured further if needed.</summary>
    public DistrictBuilder WithCycle(int startYear, Action<CycleBuilder>? configure = null)
    {
        _cycles.Add(cycle =>
        {
            cycle.StartingIn(startYear);
            configure?.Invoke(cycle);
        });
        return this;
    }

    /// <summary>A cycle for a school year written as people write it, e.g. "2026-27".</summary>
    public DistrictBuilder WithCycle(string schoolYear, Action<CycleBuilder>? configure = null) =>
        SchoolYears.TryParse(schoolYear, out var startYear)
            ? WithCycle(startYear, configure)
            : throw new ArgumentException($"Not a school year: {schoolYear}", nameof(schoolYear));

    /// <summary>Saves the district, its buildings and cycles; the returned district lists them.</summary>
    public async Task<District> SaveAsync()
    {
        if (_district.Name.Length == 0) _district.Name = $"Test District {_n}";
        if (_district.Code.Length == 0) _district.Code = $"6{_n % 10000:0000}";
        _district.CreatedAt = DateTimeOffset.UtcNow;
        _district.Buildings.AddRange(_buildings);
        db.Districts.Add(_district);
        await db.SaveChangesAsync();
        foreach (var configure in _cycles)
        {
            var cycle = new CycleBuilder(db, _district.Id);
            configure(cycle);
            await cycle.SaveAsync();
        }
        return _district;
    }
}

/// <summary>
/// A cycle on the default toolkit, by default in the school year after the district's latest and, as the app starts
/// one, with a "Whole team" group and a blank rubric.
/// </summary>
public sealed class CycleBuilder(AppDbContext db, int districtId)
{
    private int? _startYear;
    private DateTimeOffset _createdAt = DateTimeOffset.UtcNow;
    private DateTimeOffset? _finalizedAt;
    private bool _wholeTeam = true;
    private Action<RatingGroupBuilder>? _configureWholeTeam;
    private readonly List<Action<RatingGroupBuilder>> _groups = [];
    private (Func<RubricRow, int> Level, string Rationale, string By)? _consensus;

    public CycleBuilder StartingIn(int startYear)
    {
        _startYear = startYear;
        return this;
    }

    public CycleBuilder CreatedAt(DateTimeOffset at)
    {
        _createdAt = at;
        return this;
    }

    /// <summary>The rubric finalized (at the creation time unless given).</summary>
    public CycleBuilder Finalized(DateTimeOffset? at = null)
    {
        _finalizedAt = at ?? _createdAt;
        return this;
    }

    /// <summary>Configures the "Whole team" group the cycle starts with.</summary>
    public CycleBuilder WithWholeTeam(Action<RatingGroupBuilder> configure)
    {
        _wholeTeam = true;
        _configureWholeTeam = configure;
        return this;
    }

    public CycleBuilder WithoutWholeTeam()
    {
        _wholeTeam = false;
        return this;
    }

    public CycleBuilder WithGroup(string name, Action<RatingGroupBuilder>? configure = null)
    {
        _groups.Add(group =>
        {
            group.Named(name);
            configure?.Invoke(group);
        });
        return this;
    }

    /// <summary>An agreed (consensus) rating on every rubric row.</summary>
    public CycleBuilder WithConsensus(Func<RubricRow, int> level, string rationale = "Agreed", string byUserId = "")
    {
        _consensus = (level, rationale, byUserId);
        return this;
    }

    public async Task<Cycle> SaveAsync()
    {
        var startYear = _startYear ?? await NextStartYearAsync();
        var cycle = new Cycle
        {
            DistrictId = districtId, StartYear = startYear, ToolkitKey = Build.Toolkit.Key, ToolkitVersion = Build.Toolkit.Version,
            CreatedAt = _createdAt, RubricFinalizedAt = _finalizedAt,
        };
        db.Cycles.Add(cycle);
        await db.SaveChangesAsync();

        if (_consensus is var (level, rationale, by))
            foreach (var row in Build.Toolkit.Rubric.Rows)
                db.ConsensusRatings.Add(new ConsensusRating
                {
                    DistrictId = districtId, CycleId = cycle.Id, RowKey = row.Key, Level = level(row), Rationale = rationale, RecordedByUserId = by, RecordedAt = _createdAt,
                });
        var groups = new List<RatingGroupBuilder>();
        if (_wholeTeam)
        {
            var wholeTeam = new RatingGroupBuilder(db, districtId, cycle.Id).Named(RatingGroup.WholeTeamName).WholeTeam();
            _configureWholeTeam?.Invoke(wholeTeam);
            groups.Add(wholeTeam);
        }
        foreach (var configure in _groups)
        {
            var group = new RatingGroupBuilder(db, districtId, cycle.Id).SortedAt(groups.Count);
            configure(group);
            groups.Add(group);
        }
        db.RatingGroups.AddRange(groups.Select(g => g.Entity()));
        await db.SaveChangesAsync();
        return cycle;
    }

    private async Task<int> NextStartYearAsync()
    {
        var latest = await db.Cycles.Where(c => c.DistrictId == districtId).MaxAsync(c => (int?)c.StartYear);
        return latest + 1 ?? SchoolYears.Current(DateOnly.FromDateTime(DateTime.UtcNow));
    }
}

/// <summary>A rating group of a cycle, with the members and ratings given.</summary>
public sealed class RatingGroupBuilder(AppDbContext db, int districtId, int cycleId)
{
    private readonly RatingGroup _group = new() { DistrictId = districtId, CycleId = cycleId, Name = $"Test group {Build.Next()}" };

    public RatingGroupBuilder Named(string name)
    {
        _group.Name = name;
        return this;
    }

    public RatingGroupBuilder SortedAt(int sortOrder)
    {
        _group.SortOrder = sortOrder;
        return this;
    }

    public RatingGroupBuilder WholeTeam()
    {
        _group.IsWholeTeam = true;
        return this;
    }

    public RatingGroupBuilder WithMembers(params IEnumerable<string> userIds)
    {
        _group.Members.AddRange(userIds.Select(id => new RatingGroupMember { UserId = id }));
        return this;
    }

    public RatingGroupBuilder WithRating(string rowKey, int? level, string evidence = "", string byUserId = "")
    {
        _group.Ratings.Add(new RubricRating
        {
            DistrictId = districtId, CycleId = cycleId, RowKey = rowKey, Level = level, Evidence = evidence, UpdatedByUserId = byUserId, UpdatedAt = DateTimeOffset.UtcNow,
        });
        return this;
    }

    /// <summary>A rating on every rubric row of the default toolkit.</summary>
    public RatingGroupBuilder RatingEveryRow(Func<RubricRow, int> level, string evidence = "", string byUserId = "")
    {
        foreach (var row in Build.Toolkit.Rubric.Rows) WithRating(row.Key, level(row), evidence, byUserId);
        return this;
    }

    internal RatingGroup Entity() => _group;

    public async Task<RatingGroup> SaveAsync()
    {
        db.RatingGroups.Add(_group);
        await db.SaveChangesAsync();
        return _group;
    }
}

/// <summary>A building's Balance template of a cycle (a draft with no items unless told otherwise).</summary>
public sealed class BuildingTemplateBuilder(AppDbContext db, int districtId, int cycleId, int buildingId)
{
    private readonly BalanceTemplate _template = new()
    {
        DistrictId = districtId, CycleId = cycleId, BuildingId = buildingId, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>The state; a template past draft counts as submitted now unless <see cref="SubmittedAt"/> says when.</summary>
    public BuildingTemplateBuilder InState(TemplateState state)
    {
        _template.State = state;
        if (state != TemplateState.Draft) _template.SubmittedAt ??= _template.CreatedAt;
        return this;
    }

    public BuildingTemplateBuilder SubmittedAt(DateTimeOffset at)
    {
        _template.SubmittedAt = at;
        return this;
    }

    /// <summary>Every building slot of the toolkit's Balance template, filled.</summary>
    public BuildingTemplateBuilder WithItems(Func<ItemSlot, FunctionStatus?> status, string evidence = "Evidence", string nextAction = "Next action", string owner = "Principal")
    {
        foreach (var slot in TemplateWorkflow.BuildingSlots(Build.Toolkit.Balance))
            _template.Items.Add(new BalanceTemplateItem
            {
                DistrictId = districtId, RowNumber = slot.RowNumber, Function = slot.Function, Status = status(slot), Evidence = evidence, NextAction = nextAction, Owner = owner,
            });
        return this;
    }

    public BuildingTemplateBuilder WithTransition(TemplateState from, TemplateState to, string userId, DateTimeOffset? at = null)
    {
        _template.Transitions.Add(new TemplateTransition { DistrictId = districtId, From = from, To = to, UserId = userId, At = at ?? _template.CreatedAt });
        return this;
    }

    internal BalanceTemplate Entity() => _template;

    public async Task<BalanceTemplate> SaveAsync()
    {
        db.BalanceTemplates.Add(_template);
        await db.SaveChangesAsync();
        return _template;
    }
}
