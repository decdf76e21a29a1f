using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

public static class SaveInterceptors
{
    /// <summary>
    /// Adds the work every save of <see cref="AppDbContext"/> does besides writing the records, in the order it runs:
    /// new versions, the audit trail, the district data versions, the network figures versions, the measures' chart versions, and last the
    /// transaction around them (the SQLite write gate stays in <see cref="AppDbContext.SaveChanges(bool)"/>). The
    /// <paramref name="listener"/> hears which districts changed once their transaction commits.
    /// </summary>
    public static DbContextOptionsBuilder AddSaveInterceptors(this DbContextOptionsBuilder options, ICurrentUser user, TimeProvider clock,
        IDataChangeListener? listener = null) =>
        options.AddInterceptors(
            new VersionRenewalInterceptor(),
            new AuditTrailInterceptor(user, clock),
            new DataVersionInterceptor(listener ?? new NoDataChangeListener()),
            new NetworkFiguresInterceptor(),
            new ChartVersionInterceptor(),
            new SaveTransactionInterceptor());
}
