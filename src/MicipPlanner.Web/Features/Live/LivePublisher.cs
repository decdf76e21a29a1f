using System.Diagnostics;
using System.Threading.Channels;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Workshops;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Live;

/// <summary>
/// What every live message to a district's pages says: the district's data changed, and the version it has now.
/// <see cref="OnlyRatings"/>: what changed since the last message was ratings and nothing else, which a presenter view
/// is handed whole (<see cref="LivePublisher.Tally"/>), so it need not ask.
/// </summary>
public sealed record LiveChange(int District, long Version, bool OnlyRatings = false);

/// <summary>
/// The heat map rows a presenter view redraws after its groups' ratings changed, read after the district's version
/// <paramref name="V"/>: the view takes them unless it shows a newer state already.
/// </summary>
public sealed record LiveTally(int Workshop, long V, int Groups, IReadOnlyList<object> Heat);

/// <summary>A rating as it was committed: what a group member's page shows of it (the row, level, evidence, who and when).</summary>
internal sealed record RatingNews(int GroupId, string RowKey, int? Level, string Evidence, Guid Version, DateTimeOffset UpdatedAt, string UpdatedByUserId);

/// <summary>
/// What of a committed save a workshop seat's page shows: its workshop (the open step, the groups), its own seat (the
/// group it is in), its group's ratings, its cycle (a finalized rubric locks the ratings) and, on the evaluation step, its
/// cycle's goal evaluations. Nothing else reaches seats.
/// A rating is carried whole: the seat's page shows it as it is, so its seats need not ask for it.
/// </summary>
internal sealed class SeatNews
{
    public HashSet<int> Workshops { get; } = [];
    public HashSet<int> Seats { get; } = [];
    public List<RatingNews> Ratings { get; } = [];
    public HashSet<int> Cycles { get; } = [];

    /// <summary>Cycles whose goal evaluations were saved: heard by the seats of their workshops on the evaluation step.</summary>
    public HashSet<int> EvaluatedCycles { get; } = [];

    public bool IsEmpty => Workshops.Count == 0 && Seats.Count == 0 && Ratings.Count == 0 && Cycles.Count == 0 && EvaluatedCycles.Count == 0;

    public void Add(object record)
    {
        switch (record)
        {
            case Workshop workshop: Workshops.Add(workshop.Id); break;
            case WorkshopParticipant seat: Seats.Add(seat.Id); break;
            case RubricRating rating:
                Ratings.Add(new RatingNews(rating.RatingGroupId, rating.RowKey, rating.Level, rating.Evidence, rating.Version, rating.UpdatedAt,
                    rating.UpdatedByUserId));
                break;
            case Cycle cycle: Cycles.Add(cycle.Id); break;
            case GoalEvaluation evaluation: EvaluatedCycles.Add(evaluation.CycleId); break;
        }
    }

    public void Add(SeatNews other)
    {
        Workshops.UnionWith(other.Workshops);
        Seats.UnionWith(other.Seats);
        Ratings.AddRange(other.Ratings);
        Cycles.UnionWith(other.Cycles);
        EvaluatedCycles.UnionWith(other.EvaluatedCycles);
    }
}

/// <summary>
/// Sends the news of committed saves to the open screens. The save pipeline hands it the districts whose data version
/// a transaction raised and the records it wrote (<see cref="IDataChangeListener"/>, told after the commit); a
/// background loop reads the districts' new versions and sends each to its district's group, and to the seats of the
/// district's running workshops whose page shows one of the records (<see cref="SeatNews"/>) either the records
/// themselves or a bare "changed". A rating reaches its own group's other seats while the workshop is on the rating step,
/// as the rating itself ("ratings", the same fields the seat's own request answers), so that none of them asks for it:
/// asking after every save of the group was ten requests per save. Anything else a seat's page shows (the step, its
/// group, a finalized rubric) is "changed", and the page asks. The seats are read from the database for every message, so
/// removal or the end of a workshop stops them at once. Saves that commit while a batch is being sent, or within
/// <see cref="RoundSpacing"/> of the last one, are taken together
/// in the next one.
/// </summary>
public sealed class LivePublisher(IServiceScopeFactory scopes, IHubContext<LiveHub> hub, TimeProvider clock, ILogger<LivePublisher> log)
    : BackgroundService, IDataChangeListener
{
    public const string Changed = "changed";
    public const string Closed = "closed";
    public const string Ratings = "ratings";
    public const string Tally = "tally";

    private readonly Channel<(IReadOnlyCollection<int> Districts, SeatNews Seats, bool OnlyRatings)> _changes =
        Channel.CreateUnbounded<(IReadOnlyCollection<int>, SeatNews, bool)>(new UnboundedChannelOptions { SingleReader = true });

    public void Committed(IReadOnlyCollection<int> districtIds, IReadOnlyCollection<object> records)
    {
        // Only the ids are kept: the records themselves stay with the request that saved them.
        var news = new SeatNews();
        foreach (var record in records) news.Add(record);
        _changes.Writer.TryWrite((districtIds, news, records.All(r => r is RubricRating)));
    }

    /// <summary>
    /// The least time between two rounds of sending. A round's reads cost about the same for one save as for forty, and
    /// a busy instance commits hundreds a second: spaced like this, the saves of the moment share a round. A save after a
    /// quiet spell goes at once; under load one waits at most this long more, well within a second.
    /// </summary>
    public static readonly TimeSpan RoundSpacing = TimeSpan.FromMilliseconds(40);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<int>();
        var mixed = new HashSet<int>();
        var lastRound = 0L;
        while (await _changes.Reader.WaitToReadAsync(stoppingToken))
        {
            // Wall-clock pacing of the work, not the app's time (which tests may hold still).
            var since = Stopwatch.GetElapsedTime(lastRound);
            if (lastRound != 0 && since < RoundSpacing) await Task.Delay(RoundSpacing - since, stoppingToken);
            lastRound = Stopwatch.GetTimestamp();
            batch.Clear();
            mixed.Clear();
            var news = new SeatNews();
            while (_changes.Reader.TryRead(out var change))
            {
                batch.UnionWith(change.Districts);
                if (!change.OnlyRatings) mixed.UnionWith(change.Districts);
                news.Add(change.Seats);
            }
            try
            {
                await SendAsync(batch.ToArray(), mixed, news, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A screen that misses a message catches up at its next one or when it reconnects; the app goes on.
                log.LogWarning(e, "Live update for districts {Districts} not sent", string.Join(",", batch));
            }
        }
    }

    private async Task SendAsync(int[] districtIds, HashSet<int> mixed, SeatNews news, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var districts = await db.Districts.AsNoTracking().Where(d => districtIds.Contains(d.Id))
            .Select(d => new { d.Id, d.TimeZoneId, Version = EF.Property<long>(d, AppDbContext.DataVersion) }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // The seats that may still take part (Seat.IsActiveAt): not removed, workshop neither ended nor expired; of those,
        // the ones whose page shows what was written.
        var (workshops, seatIds, cycles) = (news.Workshops.ToArray(), news.Seats.ToArray(), news.Cycles.ToArray());
        var evaluated = news.EvaluatedCycles.ToArray();
        var groups = news.Ratings.Select(r => r.GroupId).Distinct().ToArray();
        // A seat "asks" when something other than its group's ratings changed on its page.
        var seats = news.IsEmpty ? [] : await (from p in db.WorkshopParticipants
                                               join w in db.Workshops on p.WorkshopId equals w.Id
                                               let asks = workshops.Contains(w.Id) || seatIds.Contains(p.Id) || cycles.Contains(w.CycleId)
                                                   || (evaluated.Contains(w.CycleId) && w.Step == WorkshopStep.Evaluation)
                                               where districtIds.Contains(w.DistrictId) && p.RemovedAt == null && w.EndedAt == null && w.ExpiresAt > now
                                                   && (asks || (p.RatingGroupId != null && groups.Contains(p.RatingGroupId.Value) && w.Step == WorkshopStep.Activity2))
                                               select new { p.Id, p.UserId, p.RatingGroupId, w.DistrictId, Asks = asks }).ToListAsync(cancellationToken);
        var raters = news.Ratings.Select(r => r.UpdatedByUserId).Distinct().ToArray();
        var names = seats.Any(s => !s.Asks) ? await db.Users.Where(u => raters.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName })
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken) : [];
        // Read after the versions: a presenter view takes the rows unless its state is newer than the version.
        var tallies = await TalliesAsync(db, districtIds.Where(d => !mixed.Contains(d)).ToArray(), news.Ratings, now, cancellationToken);
        foreach (var district in districts)
        {
            foreach (var tally in tallies.Where(t => t.DistrictId == district.Id))
                await hub.Clients.Group(LiveHub.PresenterGroup(tally.Workshop)).SendAsync(Tally,
                    new LiveTally(tally.Workshop, district.Version, tally.Groups, tally.Heat), cancellationToken);
            await hub.Clients.Group(LiveHub.DistrictGroup(district.Id))
                .SendAsync(Changed, new LiveChange(district.Id, district.Version, !mixed.Contains(district.Id)), cancellationToken);
            var inDistrict = seats.Where(s => s.DistrictId == district.Id).ToList();
            // A seat's page shows neither the district nor its version: it hears only that something moved, and asks.
            var asking = inDistrict.Where(s => s.Asks).Select(s => LiveHub.SeatGroup(s.Id)).ToList();
            if (asking.Count > 0) await hub.Clients.Groups(asking).SendAsync(Changed, cancellationToken);
            var zone = TimeZones.Find(district.TimeZoneId);
            foreach (var group in inDistrict.Where(s => !s.Asks).GroupBy(s => s.RatingGroupId!.Value))
            {
                var ratings = news.Ratings.Where(r => r.GroupId == group.Key).ToList();
                var raterIds = ratings.Select(r => r.UpdatedByUserId).ToHashSet();
                // Each seat hears the others' ratings: its own save already answered it (and a change of its own arriving
                // before that answer would read as someone else's). Seats that hear the same ratings get one message.
                foreach (var hearing in group.GroupBy(s => raterIds.Contains(s.UserId) ? s.UserId : null))
                {
                    var others = ratings.Where(r => r.UpdatedByUserId != hearing.Key).Select(r => new
                    {
                        rowKey = r.RowKey, level = r.Level, evidence = r.Evidence, version = r.Version, by = names.GetValueOrDefault(r.UpdatedByUserId),
                        mine = false, at = TimeZones.Format(r.UpdatedAt, zone),
                    }).ToList();
                    if (others.Count > 0) await hub.Clients.Groups(hearing.Select(s => LiveHub.SeatGroup(s.Id)).ToList()).SendAsync(Ratings, others, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The heat map rows that <paramref name="ratings"/> changed, for each running workshop on the rating step whose
    /// groups include a rated group, built as <see cref="WorkshopBoard"/> builds them (<see cref="HeatCells"/>) (the presenter's state answers the
    /// same rows). Only districts whose news was ratings alone are read: any other change makes the view ask.
    /// </summary>
    private static async Task<List<(int DistrictId, int Workshop, int Groups, IReadOnlyList<object> Heat)>> TalliesAsync(AppDbContext db,
        int[] districtIds, List<RatingNews> ratings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (districtIds.Length == 0 || ratings.Count == 0) return [];
        var rated = ratings.Select(r => r.GroupId).Distinct().ToArray();
        var listed = await (from l in db.WorkshopGroups
                            join w in db.Workshops on l.WorkshopId equals w.Id
                            join g in db.RatingGroups on l.RatingGroupId equals g.Id
                            where districtIds.Contains(w.DistrictId) && w.Step == WorkshopStep.Activity2 && w.EndedAt == null && w.ExpiresAt > now
                                && db.WorkshopGroups.Any(x => x.WorkshopId == w.Id && rated.Contains(x.RatingGroupId))
                            orderby l.WorkshopId, l.Position
                            select new { Workshop = w.Id, w.DistrictId, w.CycleId, g.Id, g.Name }).AsNoTracking().ToListAsync(cancellationToken);
        if (listed.Count == 0) return [];
        var groupIds = listed.Select(l => l.Id).Distinct().ToArray();
        var cycleIds = listed.Select(l => l.CycleId).Distinct().ToArray();
        var rows = ratings.Select(r => r.RowKey).Distinct().ToArray();
        var levels = await db.RubricRatings.Where(r => groupIds.Contains(r.RatingGroupId) && cycleIds.Contains(r.CycleId) && rows.Contains(r.RowKey) && r.Level != null)
            .Select(r => new { r.CycleId, Rating = new HeatRating(r.RatingGroupId, r.RowKey, r.Level) }).AsNoTracking().ToListAsync(cancellationToken);
        return listed.GroupBy(l => (l.Workshop, l.DistrictId, l.CycleId)).Select(workshop =>
        {
            var groups = workshop.Select(l => new ParticipantGroup(l.Id, l.Name)).ToList();
            var ownRows = ratings.Where(r => groups.Any(g => g.Id == r.GroupId)).Select(r => r.RowKey).Distinct();
            var own = levels.Where(l => l.CycleId == workshop.Key.CycleId).Select(l => l.Rating).ToList();
            IReadOnlyList<object> heat = ownRows.Select(row => HeatCells.Of(row, groups, own).ToJson()).ToList();
            return (workshop.Key.DistrictId, workshop.Key.Workshop, groups.Count, heat);
        }).ToList();
    }
}

public static class LiveSeats
{
    /// <summary>
    /// Tells removed seats (or all seats of an ended workshop) that they are closed, after the save: their page reloads
    /// and shows why. They receive no change after that, since <see cref="LivePublisher"/> no longer addresses them.
    /// </summary>
    public static Task CloseSeatsAsync(this IHubContext<LiveHub> hub, IEnumerable<int> participantIds) =>
        hub.Clients.Groups(participantIds.Select(LiveHub.SeatGroup).ToList()).SendAsync(LivePublisher.Closed);
}
