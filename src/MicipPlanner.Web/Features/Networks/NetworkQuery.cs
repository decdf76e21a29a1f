using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>What the signed-in person is in relation to one network, with the network's own fields.</summary>
/// <param name="FiguresVersion">Raised by every save that changes what the benchmarks count (see <see cref="AppDbContext.FiguresVersion"/>).</param>
public sealed record NetworkFacts(int Id, string Name, string Description, Guid Version, string? CoordinatorUserId, string? CoordinatorName,
    NetworkViewer Viewer, long FiguresVersion)
{
    /// <summary>The viewer's own district (marked in the figures), when they are on a member district's team.</summary>
    public int? OwnDistrictId => Viewer.TeamDistrictIds.Count > 0 ? Viewer.TeamDistrictIds.Min() : null;
}

public sealed record NoteView(int Id, string RowKey, string RowLabel, int Level, string LevelName, string Text, string ContactRole,
    string? DistrictName, bool IsOwn, DateTimeOffset SharedAt, DateTimeOffset UpdatedAt);

public sealed record MemberView(int DistrictId, string Name, bool Shares);

public sealed record BenchmarkRowView(RubricRow Row, IReadOnlyList<BenchmarkFigure> Figures);

public sealed record NetworkPage(NetworkFacts Network, ToolkitDefinition Toolkit, IReadOnlyList<int> StartYears, int SharingDistricts,
    IReadOnlyList<BenchmarkRowView> Benchmarks, IReadOnlyList<NoteView> Notes, string? RowFilter, int? LevelFilter,
    IReadOnlyList<MemberView>? Members, string? OwnDistrictName, bool OwnDistrictShares, DateTimeOffset Now, bool ForPrint = false);

/// <summary>
/// Reads a network page in a fixed number of queries whatever the number of districts: the viewer's facts, the count of
/// sharing districts, the contributions (finalized consensus of sharing members) and the notes. Only levels and counts
/// leave the database for the figures; evidence and rationale are never read.
/// </summary>
public sealed class NetworkQuery(AppDbContext db, DistrictAccessService access, ToolkitCatalog toolkits, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>How many school years the benchmarks show: the current one and the two before it.</summary>
    public const int YearsShown = 3;

    /// <summary>The network as the person sees it, or null when it does not exist for them (answer 404).</summary>
    public async Task<NetworkFacts?> FactsAsync(int networkId, CancellationToken cancellationToken)
    {
        var userId = access.UserId ?? "";
        var row = await db.Networks.AsNoTracking().Where(n => n.Id == networkId)
            .Select(n => new
            {
                n.Id, n.Name, n.Description, n.Version, n.CoordinatorUserId, FiguresVersion = EF.Property<long>(n, AppDbContext.FiguresVersion),
                CoordinatorName = db.Users.Where(u => u.Id == n.CoordinatorUserId).Select(u => u.DisplayName).FirstOrDefault(),
                FacilitatesMember = db.FacilitatorAssignments.Any(f => f.UserId == userId && n.Members.Any(m => m.DistrictId == f.DistrictId)),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var teamDistricts = await db.TeamMemberships.Where(t => t.UserId == userId && t.BuildingId == null
                && db.NetworkMemberships.Any(m => m.NetworkId == networkId && m.DistrictId == t.DistrictId))
            .Select(t => t.DistrictId).ToListAsync(cancellationToken);
        var viewer = new NetworkViewer(access.IsAdmin, row.CoordinatorUserId is not null && row.CoordinatorUserId == userId, row.FacilitatesMember,
            teamDistricts.Distinct().ToList());
        return NetworkAccess.CanView(viewer)
            ? new NetworkFacts(row.Id, row.Name, row.Description, row.Version, row.CoordinatorUserId, row.CoordinatorName, viewer, row.FiguresVersion)
            : null;
    }

    /// <summary>Districts whose results count for the network now: on its list and sharing.</summary>
    private IQueryable<int> SharingMembers(int networkId) =>
        db.NetworkMemberships.Where(m => m.NetworkId == networkId)
            .Join(db.Districts.Where(d => d.SharesWithNetworks), m => m.DistrictId, d => d.Id, (m, d) => d.Id);

    public async Task<NetworkPage> PageAsync(NetworkFacts facts, string? rowFilter, int? levelFilter, CancellationToken cancellationToken)
    {
        var toolkit = toolkits.Default;
        var now = clock.GetUtcNow();
        var currentYear = SchoolYears.Current(TimeZones.DateIn(now, TimeZones.Find(null)));
        var years = Enumerable.Range(currentYear - YearsShown + 1, YearsShown).ToList();
        var sharing = SharingMembers(facts.Id);

        var firstYear = years[0];
        var finalized = db.Cycles.Where(cy => cy.RubricFinalizedAt != null && cy.StartYear >= firstYear && cy.StartYear <= currentYear);
        var contributions = db.ConsensusRatings.AsNoTracking()
            .Where(c => sharing.Contains(c.DistrictId) && c.Level >= 1 && c.Level <= 4)
            .Join(finalized, c => c.CycleId, cy => cy.Id, (c, cy) => new { c.DistrictId, cy.StartYear, c.RowKey, c.Level });

        // Counting a statewide network's answers takes the database about 20 ms, so the counts are kept while what they
        // are counted from is unchanged: the network's figures version (raised by every save that adds or removes a
        // member, changes a member's sharing, or finalizes or reopens a member's rubric) and the school years shown. A
        // finalized cycle's consensus cannot change without reopening it, so everyday saves never throw the counts away.
        var version = (firstYear, facts.FiguresVersion);
        var key = (typeof(KeptCounts), facts.Id);
        if (!cache.TryGetValue(key, out KeptCounts? kept) || kept!.Version != version)
        {
            var sharingDistricts = await sharing.CountAsync(cancellationToken);
            // The database counts the districts per year, row and level: a statewide network sends 72 numbers, not its answers.
            var counted = await contributions.GroupBy(c => new { c.StartYear, c.RowKey, c.Level })
                .Select(g => new BenchmarkCount(g.Key.StartYear, g.Key.RowKey, g.Key.Level, g.Select(c => c.DistrictId).Distinct().Count()))
                .ToListAsync(cancellationToken);
            kept = new KeptCounts(version, sharingDistricts, counted);
            // One entry per network, replaced when its version moves, so no outdated copy is left behind.
            cache.Set(key, kept, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) });
        }
        var counts = kept.Counts;
        var ownId = facts.OwnDistrictId ?? 0;

        // The member list only for those who see it; a member district's viewer reads its own line alone.
        var canSeeMembers = NetworkAccess.CanSeeMemberNames(facts.Viewer);
        IReadOnlyList<MemberView>? members = null;
        string? ownName = null;
        var ownShares = false;
        if (canSeeMembers || facts.OwnDistrictId is not null)
        {
            var memberDistricts = db.NetworkMemberships.AsNoTracking().Where(m => m.NetworkId == facts.Id && (canSeeMembers || m.DistrictId == ownId))
                .Join(db.Districts, m => m.DistrictId, d => d.Id, (m, d) => d);
            var list = await memberDistricts.OrderBy(d => d.Name)
                .Select(d => new MemberView(d.Id, d.Name, d.SharesWithNetworks)).ToListAsync(cancellationToken);
            if (canSeeMembers) members = list;
            var ownMember = list.FirstOrDefault(m => m.DistrictId == facts.OwnDistrictId);
            ownName = ownMember?.Name;
            ownShares = ownMember?.Shares ?? false;
        }

        // The viewer's own district is marked only while it shares (its line above says whether it does), so its levels are
        // read for it alone, without asking the database for the whole list of sharing districts again.
        var own = !ownShares ? [] : await db.ConsensusRatings.AsNoTracking()
            .Where(c => c.DistrictId == ownId && c.Level >= 1 && c.Level <= 4)
            .Join(finalized, c => c.CycleId, cy => cy.Id, (c, cy) => new BenchmarkOwnLevel(cy.StartYear, c.RowKey, c.Level))
            .ToListAsync(cancellationToken);
        var figures = NetworkBenchmarks.FromCounts(counts, toolkit.Rubric.Rows.Select(r => r.Key).ToList(), years, own);
        var benchmarks = toolkit.Rubric.Rows.Select(r => new BenchmarkRowView(r, figures.Where(f => f.RowKey == r.Key).ToList())).ToList();

        // Each note asks whether its district is on the network and shares: the notes are few next to a statewide network's
        // districts, so this reads less than first listing every sharing district.
        var networkId = facts.Id;
        var notesQuery = db.PracticeNotes.AsNoTracking().Where(n => n.WithdrawnAt == null && !n.IsProposal
            && db.NetworkMemberships.Any(m => m.NetworkId == networkId && m.DistrictId == n.DistrictId)
            && db.Districts.Any(d => d.Id == n.DistrictId && d.SharesWithNetworks));
        if (!string.IsNullOrEmpty(rowFilter)) notesQuery = notesQuery.Where(n => n.RowKey == rowFilter);
        if (levelFilter is { } level) notesQuery = notesQuery.Where(n => n.Level == level);
        var notes = await notesQuery.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(200)
            .Select(n => new
            {
                n.Id, n.RowKey, n.Level, n.Text, n.ContactRole, n.CreatedAt, n.UpdatedAt, IsOwn = n.DistrictId == ownId,
                // An anonymous note's district is never read, so it cannot slip onto the page.
                District = n.IsAnonymous ? null : db.Districts.Where(d => d.Id == n.DistrictId).Select(d => d.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        string RowLabel(string key) => toolkit.Rubric.Rows.FirstOrDefault(r => r.Key == key)?.Label ?? key;
        string LevelName(int l) => toolkit.Rubric.Levels.FirstOrDefault(x => x.Level == l)?.Name ?? l.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new NetworkPage(facts, toolkit, years, kept.SharingDistricts, benchmarks,
            notes.Select(n => new NoteView(n.Id, n.RowKey, RowLabel(n.RowKey), n.Level, LevelName(n.Level), n.Text, n.ContactRole, n.District, n.IsOwn,
                n.CreatedAt, n.UpdatedAt)).ToList(),
            rowFilter, levelFilter, members, ownName, ownShares, now);
    }

    private sealed record KeptCounts((int FirstYear, long FiguresVersion) Version, int SharingDistricts, List<BenchmarkCount> Counts);
}
