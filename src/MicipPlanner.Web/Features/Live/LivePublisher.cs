using System.Threading.Channels;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Live;

/// <summary>What every live message says: the district's data changed, and the version it has now.</summary>
public sealed record LiveChange(int District, long Version);

/// <summary>
/// What of a committed save a workshop seat's page shows: its workshop (the open step, the groups), its own seat (the
/// group it is in), its group's ratings and its cycle (a finalized rubric locks the ratings). Nothing else reaches seats.
/// </summary>
internal sealed class SeatNews
{
    public HashSet<int> Workshops { get; } = [];
    public HashSet<int> Seats { get; } = [];
    public HashSet<int> Groups { get; } = [];
    public HashSet<int> Cycles { get; } = [];

    public bool IsEmpty => Workshops.Count == 0 && Seats.Count == 0 && Groups.Count == 0 && Cycles.Count == 0;

    public void Add(object record)
    {
        switch (record)
        {
            case Workshop workshop: Workshops.Add(workshop.Id); break;
            case WorkshopParticipant seat: Seats.Add(seat.Id); break;
            case RubricRating rating: Groups.Add(rating.RatingGroupId); break;
            case Cycle cycle: Cycles.Add(cycle.Id); break;
        }
    }

    public void Add(SeatNews other)
    {
        Workshops.UnionWith(other.Workshops);
        Seats.UnionWith(other.Seats);
        Groups.UnionWith(other.Groups);
        Cycles.UnionWith(other.Cycles);
    }
}

/// <summary>
/// Sends the news of committed saves to the open screens. The save pipeline hands it the districts whose data version
/// a transaction raised and the records it wrote (<see cref="IDataChangeListener"/>, told after the commit); a
/// background loop reads the districts' new versions and sends each to its district's group, and a bare "changed" to
/// the seats of the district's running workshops whose page shows one of the records (<see cref="SeatNews"/>): a rating
/// reaches its own group's seats, not the whole room, each of whom would otherwise ask for nothing new. The seats are read
/// from the database for every message, so removal or the end of a workshop stops them at once. Saves that commit while a
/// batch is being sent are taken together in the next one.
/// </summary>
public sealed class LivePublisher(IServiceScopeFactory scopes, IHubContext<LiveHub> hub, TimeProvider clock, ILogger<LivePublisher> log)
    : BackgroundService, IDataChangeListener
{
    public const string Changed = "changed";
    public const string Closed = "closed";

    private readonly Channel<(IReadOnlyCollection<int> Districts, SeatNews Seats)> _changes =
        Channel.CreateUnbounded<(IReadOnlyCollection<int>, SeatNews)>(new UnboundedChannelOptions { SingleReader = true });

    public void Committed(IReadOnlyCollection<int> districtIds, IReadOnlyCollection<object> records)
    {
        // Only the ids are kept: the records themselves stay with the request that saved them.
        var news = new SeatNews();
        foreach (var record in records) news.Add(record);
        _changes.Writer.TryWrite((districtIds, news));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<int>();
        while (await _changes.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            var news = new SeatNews();
            while (_changes.Reader.TryRead(out var change))
            {
                batch.UnionWith(change.Districts);
                news.Add(change.Seats);
            }
            try
            {
                await SendAsync(batch.ToArray(), news, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A screen that misses a message catches up at its next one or when it reconnects; the app goes on.
                log.LogWarning(e, "Live update for districts {Districts} not sent", string.Join(",", batch));
            }
        }
    }

    private async Task SendAsync(int[] districtIds, SeatNews news, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var versions = await db.Districts.AsNoTracking().Where(d => districtIds.Contains(d.Id))
            .Select(d => new { d.Id, Version = EF.Property<long>(d, AppDbContext.DataVersion) }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // The seats that may still take part (Seat.IsActiveAt): not removed, workshop neither ended nor expired; of those,
        // the ones whose page shows what was written.
        var (workshops, seatIds, groups, cycles) = (news.Workshops.ToArray(), news.Seats.ToArray(), news.Groups.ToArray(), news.Cycles.ToArray());
        var seats = news.IsEmpty ? [] : await (from p in db.WorkshopParticipants
                                               join w in db.Workshops on p.WorkshopId equals w.Id
                                               where districtIds.Contains(w.DistrictId) && p.RemovedAt == null && w.EndedAt == null && w.ExpiresAt > now
                                                   && (workshops.Contains(w.Id) || seatIds.Contains(p.Id) || cycles.Contains(w.CycleId)
                                                       || (p.RatingGroupId != null && groups.Contains(p.RatingGroupId.Value)))
                                               select new { p.Id, w.DistrictId }).ToListAsync(cancellationToken);
        foreach (var district in versions)
        {
            await hub.Clients.Group(LiveHub.DistrictGroup(district.Id)).SendAsync(Changed, new LiveChange(district.Id, district.Version), cancellationToken);
            var seatUsers = seats.Where(s => s.DistrictId == district.Id).Select(s => SeatUserIds.For(s.Id)).ToList();
            // A seat's page shows neither the district nor its version: it hears only that something moved.
            if (seatUsers.Count > 0) await hub.Clients.Users(seatUsers).SendAsync(Changed, cancellationToken);
        }
    }
}

public static class LiveSeats
{
    /// <summary>
    /// Tells removed seats (or all seats of an ended workshop) that they are closed, after the save: their page reloads
    /// and shows why. They receive no change after that, since <see cref="LivePublisher"/> no longer addresses them.
    /// </summary>
    public static Task CloseSeatsAsync(this IHubContext<LiveHub> hub, IEnumerable<int> participantIds) =>
        hub.Clients.Users(participantIds.Select(SeatUserIds.For).ToList()).SendAsync(LivePublisher.Closed);
}
