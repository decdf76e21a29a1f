using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace MicipPlanner.Infrastructure.Data;

/// <summary>
/// Lets one instance at a time do the start-up work that must happen once on a shared database (roles, the first
/// data-protection key, the demo districts). Instances starting together on an empty database would otherwise each
/// see "nothing there yet" and each create it. A server database holds the lock for the session that asked for it, so
/// it is released even when the instance holding it is killed; SQLite serves one instance, so a lock in the process
/// is enough there.
/// </summary>
public static class StartupLock
{
    // The key is any fixed number; it only has to differ from other advisory locks taken on the same database.
    private const string PostgreSqlLock = "SELECT pg_advisory_lock(5569904530712302677)";
    private const string PostgreSqlUnlock = "SELECT pg_advisory_unlock(5569904530712302677)";
    // Owned by the session: held across the work's own transactions, released if the connection drops.
    private const string SqlServerLock =
        "EXEC sp_getapplock @Resource = 'MicipPlanner.Startup', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 600000";
    private const string SqlServerUnlock = "EXEC sp_releaseapplock @Resource = 'MicipPlanner.Startup', @LockOwner = 'Session'";
    private static readonly SemaphoreSlim InProcess = new(1, 1);
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(AppDbContext db, Func<Task> work, CancellationToken cancellationToken)
    {
        await InProcess.WaitAsync(cancellationToken);
        try
        {
            if (db.Database.IsSqlite())
            {
                await work();
                return;
            }
            await CreateDatabaseIfMissingAsync(db, cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var postgres = db.Database.IsNpgsql();
                // Waiting for another instance's migrations and demo data may take longer than a command usually may.
                var usual = db.Database.GetCommandTimeout();
                db.Database.SetCommandTimeout(LockWait);
                try { await db.Database.ExecuteSqlRawAsync(postgres ? PostgreSqlLock : SqlServerLock, cancellationToken); }
                finally { db.Database.SetCommandTimeout(usual); }
                try { await work(); }
                finally { await db.Database.ExecuteSqlRawAsync(postgres ? PostgreSqlUnlock : SqlServerUnlock, CancellationToken.None); }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        finally
        {
            InProcess.Release();
        }
    }

    // The lock lives in the database, so the database must exist before it can be taken (migrations would create it
    // too, but only after the lock). Two instances may both try: the one that loses finds it made by the other.
    private static async Task CreateDatabaseIfMissingAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken)) return;
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (DbException)
        {
            if (!await creator.ExistsAsync(cancellationToken)) throw;
        }
    }
}
