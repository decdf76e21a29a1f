using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// What the save interceptors of one <see cref="DbContext.SaveChanges()"/> hand each other: the audit drafts, the
/// districts whose data version rises, and the transaction that holds them together. It lives on the context for the
/// length of one save (the interceptors are shared by all contexts).
/// </summary>
internal sealed class SaveWork
{
    public List<AuditDraft> Audit { get; set; } = [];

    /// <summary>Audit rows that went into the save's own batch (they are not counted as the caller's records).</summary>
    public int AuditRowsInBatch { get; set; }

    public HashSet<int> Districts { get; set; } = [];

    /// <summary>The records of district data the save adds, changes or deletes.</summary>
    public List<object> Records { get; set; } = [];

    /// <summary>What moves network figures in this save; ids are read after it (new records only have them then).</summary>
    public List<Func<int>> FigureDistricts { get; set; } = [];

    public List<Func<int>> FigureNetworks { get; set; } = [];

    /// <summary>The measures whose run chart the save changes (their values, interim targets or phase changes).</summary>
    public HashSet<int> ChartMeasures { get; set; } = [];

    public IDbContextTransaction? OwnTransaction { get; set; }

    /// <summary>True while the audit interceptor saves the audit rows of new records (a save within the save).</summary>
    public bool Inner { get; set; }

    public bool NeedsTransaction => Audit.Count > 0 || AuditRowsInBatch > 0 || Districts.Count > 0 || FigureDistricts.Count > 0
        || FigureNetworks.Count > 0 || ChartMeasures.Count > 0;

    /// <summary>Starts the work of a save (by the first interceptor), or null for a save within the save.</summary>
    public static SaveWork? Begin(DbContextEventData eventData)
    {
        if (eventData.Context is not AppDbContext db) return null;
        if (db.PendingSave is { Inner: true }) return null;
        return db.PendingSave = new SaveWork();
    }

    /// <summary>The work of the save now starting, or null for a save within the save (nothing more to do for it).</summary>
    public static SaveWork? Starting(DbContextEventData eventData)
    {
        if (eventData.Context is not AppDbContext db) return null;
        if (db.PendingSave is { Inner: true }) return null;
        return db.PendingSave ??= new SaveWork();
    }

    /// <summary>The work of the save that just finished or failed, or null for a save within the save.</summary>
    public static SaveWork? Current(DbContextEventData eventData) =>
        eventData.Context is AppDbContext { PendingSave: { Inner: false } work } ? work : null;
}
