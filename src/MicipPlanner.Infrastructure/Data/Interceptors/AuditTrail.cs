using System.Globalization;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>A change seen before saving, completed with generated keys after the insert.</summary>
internal sealed record AuditDraft(EntityEntry Entry, AuditAction Action, string? UserId, string? Via, DateTimeOffset At,
    List<(string Field, string? Old, string? New)> Fields);

/// <summary>Turns tracked changes of domain records into audit entries (who, when, field, old → new).</summary>
internal static class AuditTrail
{
    // Bookkeeping columns that change on every save and say nothing to a reader.
    private static readonly HashSet<string> Ignored = [nameof(Entity.Id), nameof(Entity.Version), AppDbContext.DataVersion, AppDbContext.ChartVersion];

    // Secrets are recorded as changed, never with their value (an audit reader must not learn them).
    private static readonly HashSet<string> Secret = [nameof(Domain.Organisation.Invitation.TokenHash)];
    private const string Hidden = "(hidden)";

    public static List<AuditDraft> Collect(ChangeTracker tracker, string? userId, string? via, DateTimeOffset now)
    {
        var drafts = new List<AuditDraft>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.Entity is not Entity) continue;
            var action = entry.State switch
            {
                EntityState.Added => AuditAction.Create,
                EntityState.Modified => AuditAction.Update,
                EntityState.Deleted => AuditAction.Delete,
                _ => (AuditAction?)null,
            };
            if (action is null) continue;

            var fields = new List<(string, string?, string?)>();
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Ignored.Contains(name)) continue;
                var secret = Secret.Contains(name);
                string? Shown(object? value) => value is null ? null : secret ? Hidden : Format(value);
                switch (action)
                {
                    case AuditAction.Create:
                        if (property.CurrentValue is not null) fields.Add((name, null, Shown(property.CurrentValue)));
                        break;
                    case AuditAction.Delete:
                        if (property.OriginalValue is not null) fields.Add((name, Shown(property.OriginalValue), null));
                        break;
                    default:
                        if (property.IsModified && Format(property.OriginalValue) != Format(property.CurrentValue))
                            fields.Add((name, Shown(property.OriginalValue), Shown(property.CurrentValue)));
                        break;
                }
            }
            if (fields.Count > 0) drafts.Add(new AuditDraft(entry, action.Value, userId, via, now, fields));
        }
        return drafts;
    }

    public static IEnumerable<AuditEntry> Complete(IEnumerable<AuditDraft> drafts) =>
        drafts.SelectMany(d =>
        {
            var entity = (Entity)d.Entry.Entity;
            var districtId = DistrictPath.DistrictOf(d.Entry);
            return d.Fields.Select(f => new AuditEntry
            {
                DistrictId = districtId == 0 ? null : districtId,
                UserId = d.UserId,
                Via = d.Via,
                At = d.At,
                EntityType = entity.GetType().Name,
                EntityId = entity.Id.ToString(CultureInfo.InvariantCulture),
                Action = d.Action,
                Field = f.Field,
                OldValue = f.Old,
                NewValue = f.New,
            });
        });

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
