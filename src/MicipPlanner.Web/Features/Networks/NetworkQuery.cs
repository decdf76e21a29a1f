using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>Which publication of a network's benchmarks is the newest, and what it was computed from.</summary>
public sealed record PublicationHeader(int Sequence, long FiguresVersion, int FirstYear);

/// <summary>What the signed-in person is in relation to one network, with the network's own fields.</summary>
/// <param name="FiguresVersion">Raised by every save that changes what the benchmarks count (see <see cref="AppDbContext.FiguresVersion"/>).</param>
/// <param name="Published">The network's newest published benchmarks, read with its fields; null before the first.</param>
public sealed record NetworkFacts(int Id, string Name, string Description, Guid Version, string? CoordinatorUserId, string? CoordinatorName,
    NetworkViewer Viewer, long FiguresVersion, PublicationHeader? Published)
{
    /// <summary>The viewer's own district (marked in the figures), when they are on a member district's team.</summary>
    public int? OwnDistrictId => Viewer.TeamDistrictIds.Count > 0 ? Viewer.TeamDistrictIds.Min() : null;
}

public sealed record NoteView(int Id, string RowKey, string RowLabel, int Level, string LevelName, string Text, string ContactRole,
    string? DistrictName, bool IsOwn, DateTimeOffset SharedAt, DateTimeOffset UpdatedAt, bool FromPdsa = false);

public sealed record MemberView(int DistrictId, string Name, bool Shares);

public sealed record BenchmarkRowView(RubricRow Row, IReadOnlyList<BenchmarkFigure> Figures);

/// <param name="SharingDistricts">How many districts shared when the figures were published.</param>
/// <param name="FiguresPublishedAt">When the figures shown were published.</param>
public sealed record NetworkPage(NetworkFacts Network, ToolkitDefinition Toolkit, int SharingDistricts,
    DateTimeOffset FiguresPublishedAt, IReadOnlyList<BenchmarkRowView> Benchmarks, IReadOnlyList<NoteView> Notes, string? RowFilter, int? LevelFilter,
    IReadOnlyList<MemberView>? Members, string? OwnDistrictName, bool OwnDistrictShares, DateTimeOffset Now, bool ForPrint = false);

/// <summary>
/// Reads a network page in a fixed number of queries whatever the number of districts: the viewer's facts (with the header
/// of the network's newest published benchmarks), the member list or the viewer's own line, the viewer's own levels and
/// the notes. The benchmarks are the network's published snapshot (ADR 13); when what they count has changed since, the
/// request publishes the next one first. Evidence and rationale are never read.
/// </summary>
public sealed class NetworkQuery(AppDbContext db, DistrictAccessService access, ToolkitCatalog toolkits, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>How many school years the benchmarks show: the current one and the two before it.</summary>
    public const int YearsShown = 3;

    /// <summary>The network as the person sees it, or null when it does not exist for them (answer 404).</summary>
    public async Task<NetworkFacts?> FactsAsync(int networkId, CancellationToken cancellationToken)
    {
        var userId = access.UserId ?? "";
        var row = await (from n in db.Networks.AsNoTracking().Where(n => n.Id == networkId)
                         from s in db.BenchmarkSnapshots.Where(s => s.NetworkId == n.Id).DefaultIfEmpty()
                         select new
                         {
                             n.Id, n.Name, n.Description, n.Version, n.CoordinatorUserId, FiguresVersion = EF.Property<long>(n, AppDbContext.FiguresVersion),
                             CoordinatorName = db.Users.NameOf(n.CoordinatorUserId),
                             FacilitatesMember = db.FacilitatorAssignments.Any(f => f.UserId == userId && n.Members.Any(m => m.DistrictId == f.DistrictId)),
                             PublishedSequence = (int?)s!.Sequence, PublishedVersion = (long?)s.FiguresVersion, PublishedFirstYear = (int?)s.FirstYear,
                         })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var teamDistricts = await db.TeamMemberships.Where(t => t.UserId == userId && t.BuildingId == null
                && db.NetworkMemberships.Any(m => m.NetworkId == networkId && m.DistrictId == t.DistrictId))
            .Select(t => t.DistrictId).ToListAsync(cancellationToken);
        var viewer = new NetworkViewer(access.IsAdmin, row.CoordinatorUserId is not null && row.CoordinatorUserId == userId, row.FacilitatesMember,
            teamDistricts.Distinct().ToList());
        return NetworkAccess.CanView(viewer)
            ? new NetworkFacts(row.Id, row.Name, row.Description, row.Version, row.CoordinatorUserId, row.CoordinatorName, viewer, row.FiguresVersion,
                row.PublishedSequence is { } sequence ? new PublicationHeader(sequence, row.PublishedVersion!.Value, row.PublishedFirstYear!.Value) : null)
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
        var rowKeys = toolkit.Rubric.Rows.Select(r => r.Key).ToList();
        var snapshot = await PublishedAsync(facts, rowKeys, years, now, cancellationToken);
        var firstYear = years[0];
        var finalized = db.Cycles.Where(cy => cy.RubricFinalizedAt != null && cy.StartYear >= firstYear && cy.StartYear <= currentYear);
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
        // read for it alone, with when each was finalized: it is marked only on numbers that count it as it stands.
        var own = !ownShares ? [] : (await db.ConsensusRatings.AsNoTracking()
            .Where(c => c.DistrictId == ownId && c.Level >= 1 && c.Level <= 4)
            .Join(finalized, c => c.CycleId, cy => cy.Id, (c, cy) => new { cy.StartYear, c.RowKey, c.Level, cy.RubricFinalizedAt })
            .ToListAsync(cancellationToken))
            .Select(c => new BenchmarkContribution(ownId, c.StartYear, c.RowKey, c.Level, c.RubricFinalizedAt!.Value.UtcTicks)).ToList();
        var figures = BenchmarkPublishing.Figures(snapshot.Figures, own);
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
                FromPdsa = n.SourcePdsaCycleId != null,
                // An anonymous note's district is never read, so it cannot slip onto the page.
                District = n.IsAnonymous ? null : db.Districts.Where(d => d.Id == n.DistrictId).Select(d => d.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        string RowLabel(string key) => toolkit.Rubric.Rows.FirstOrDefault(r => r.Key == key)?.Label ?? key;
        string LevelName(int l) => toolkit.Rubric.Levels.FirstOrDefault(x => x.Level == l)?.Name ?? l.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new NetworkPage(facts, toolkit, snapshot.SharingDistricts, snapshot.PublishedAt, benchmarks,
            notes.Select(n => new NoteView(n.Id, n.RowKey, RowLabel(n.RowKey), n.Level, LevelName(n.Level), n.Text, n.ContactRole, n.District, n.IsOwn,
                n.CreatedAt, n.UpdatedAt, n.FromPdsa)).ToList(),
            rowFilter, levelFilter, members, ownName, ownShares, now);
    }

    /// <summary>
    /// The network's newest published benchmarks; when a save has changed what they count since (its figures version moved)
    /// or the school years shown have moved on, the next publication is made from the previous one first (ADR 13).
    /// </summary>
    private async Task<BenchmarkSnapshot> PublishedAsync(NetworkFacts facts, IReadOnlyList<string> rowKeys, IReadOnlyList<int> years,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = facts.Published is { } header ? await SnapshotAsync(facts.Id, header.Sequence, cancellationToken) : null;
        if (latest is not null && latest.FiguresVersion == facts.FiguresVersion && latest.FirstYear == years[0]) return latest;

        var sharingQuery = SharingMembers(facts.Id);
        var sharing = await sharingQuery.ToListAsync(cancellationToken);
        var (firstYear, lastYear) = (years[0], years[^1]);
        // Who contributes matters now (the rule compares districts), so each answer comes with its district and finalization.
        var answers = await db.ConsensusRatings.AsNoTracking()
            .Where(c => sharingQuery.Contains(c.DistrictId) && c.Level >= 1 && c.Level <= 4)
            .Join(db.Cycles.Where(cy => cy.RubricFinalizedAt != null && cy.StartYear >= firstYear && cy.StartYear <= lastYear),
                c => c.CycleId, cy => cy.Id, (c, cy) => new { c.DistrictId, cy.StartYear, c.RowKey, c.Level, cy.RubricFinalizedAt })
            .ToListAsync(cancellationToken);
        var contributions = answers.Select(a => new BenchmarkContribution(a.DistrictId, a.StartYear, a.RowKey, a.Level, a.RubricFinalizedAt!.Value.UtcTicks));
        var next = new BenchmarkSnapshot
        {
            NetworkId = facts.Id, Sequence = (latest?.Sequence ?? 0) + 1, PublishedAt = now, FiguresVersion = facts.FiguresVersion, FirstYear = firstYear,
            SharingDistricts = sharing.Count,
            Figures = BenchmarkPublishing.Next(latest?.Figures ?? [], contributions, sharing.ToHashSet(), rowKeys, years, now),
        };
        if (latest is null)
        {
            db.BenchmarkSnapshots.Add(next);
        }
        else
        {
            // Replaces the row only while it still holds the publication this one was built on.
            next.Id = latest.Id;
            db.BenchmarkSnapshots.Update(next).Property(s => s.Sequence).OriginalValue = latest.Sequence;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request (here or on another server) published first: show its publication, which the next request
            // builds on if it is already out of date.
            db.Entry(next).State = EntityState.Detached;
            var theirs = await db.BenchmarkSnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.NetworkId == facts.Id, cancellationToken);
            if (theirs is null || theirs.Sequence == latest?.Sequence) throw;
            next = theirs;
        }
        db.Entry(next).State = EntityState.Detached;
        Keep(next);
        return next;
    }

    /// <summary>
    /// A publication never changes once made, so the one with the sequence the facts name is kept in memory: reading and
    /// parsing a statewide network's snapshot is then done once per server, not per request. One entry per network,
    /// replaced by the next publication.
    /// </summary>
    private async Task<BenchmarkSnapshot?> SnapshotAsync(int networkId, int sequence, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue((typeof(BenchmarkSnapshot), networkId), out BenchmarkSnapshot? kept) && kept!.Sequence == sequence) return kept;
        var read = await db.BenchmarkSnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.NetworkId == networkId, cancellationToken);
        if (read is not null) Keep(read);
        return read;
    }

    private void Keep(BenchmarkSnapshot snapshot) =>
        cache.Set((typeof(BenchmarkSnapshot), snapshot.NetworkId), snapshot, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) });
}
