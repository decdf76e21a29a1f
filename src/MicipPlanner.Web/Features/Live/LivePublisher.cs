using System.Threading.Channels;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Live;

/// <summary>What every live message says: the district's data changed, and the version it has now.</summary>
public sealed record LiveChange(int District, long Version);

/// <summary>
/// Sends the news of committed saves to the open screens. The save pipeline hands it the districts whose data version
/// a transaction raised (<see cref="IDataChangeListener"/>, told after the commit); a background loop reads their new
/// versions and sends each to its district's group, and a bare "changed" to each seat of the district's running
/// workshops. The seats are read from the database for every message, so removal or the end of a workshop stops them
/// at once. Saves that commit while a batch is being sent are taken together in the next one.
/// </summary>
public sealed class LivePublisher(IServiceScopeFactory scopes, IHubContext<LiveHub> hub, TimeProvider clock, ILogger<LivePublisher> log)
    : BackgroundService, IDataChangeListener
{
    public const string Changed = "changed";
    public const string Closed = "closed";

    private readonly Channel<int> _districts = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });

    public void Committed(IReadOnlyCollection<int> districtIds)
    {
        foreach (var id in districtIds) _districts.Writer.TryWrite(id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<int>();
        while (await _districts.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (_districts.Reader.TryRead(out var id)) batch.Add(id);
            try
            {
                await SendAsync(batch.ToArray(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A screen that misses a message catches up at its next one or when it reconnects; the app goes on.
                log.LogWarning(e, "Live update for districts {Districts} not sent", string.Join(",", batch));
            }
        }
    }

    private async Task SendAsync(int[] districtIds, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var versions = await db.Districts.AsNoTracking().Where(d => districtIds.Contains(d.Id))
            .Select(d => new { d.Id, Version = EF.Property<long>(d, AppDbContext.DataVersion) }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // The seats that may still take part (Seat.IsActiveAt): not removed, workshop neither ended nor expired.
        var seats = await (from p in db.WorkshopParticipants
                           join w in db.Workshops on p.WorkshopId equals w.Id
                           where districtIds.Contains(w.DistrictId) && p.RemovedAt == null && w.EndedAt == null && w.ExpiresAt > now
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
