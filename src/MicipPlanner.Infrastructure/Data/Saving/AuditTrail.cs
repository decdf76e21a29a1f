using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MicipPlanner.Infrastructure.Data.Saving;

/// <summary>One changed field of one record, as the audit trail keeps it.</summary>
internal readonly record struct AuditField(string Field, string? Old, string? New);

/// <summary>
/// Turns tracked changes of domain records into audit rows (who, when, field, old → new) and writes them with one
/// INSERT of many rows, in the save's transaction.
/// </summary>
internal static class AuditTrail
{
    // Bookkeeping columns that change on every save and say nothing to a reader.
    private static readonly HashSet<string> Ignored = [nameof(Entity.Id), nameof(Entity.Version), AppDbContext.DataVersion, AppDbContext.ChartVersion];

    // Secrets are recorded as changed, never with their value (an audit reader must not learn them).
    private static readonly HashSet<string> Secret = [nameof(Domain.Organisation.Invitation.TokenHash)];
    private const string Hidden = "(hidden)";

    /// <summary>
    /// The fields a change of the record shows: every set value of a new one (read after its insert, when the keys it
    /// points at are real), every stored value of a deleted one, the changed values of a changed one (read before the
    /// save, while the old values are known).
    /// </summary>
    public static List<AuditField> Fields(EntityEntry entry, AuditAction action)
    {
        var fields = new List<AuditField>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (Ignored.Contains(name)) continue;
            var secret = Secret.Contains(name);
            string? Shown(object? value) => value is null ? null : secret ? Hidden : Format(value);
            switch (action)
            {
                case AuditAction.Create:
                    if (property.CurrentValue is not null) fields.Add(new(name, null, Shown(property.CurrentValue)));
                    break;
                case AuditAction.Delete:
                    if (property.OriginalValue is not null) fields.Add(new(name, Shown(property.OriginalValue), null));
                    break;
                default:
                    if (property.IsModified && Format(property.OriginalValue) != Format(property.CurrentValue))
                        fields.Add(new(name, Shown(property.OriginalValue), Shown(property.CurrentValue)));
                    break;
            }
        }
        return fields;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // The columns written, in the order of each row's values below; the id is the database's.
    private static readonly string[] Columns =
    [
        nameof(AuditEntry.DistrictId), nameof(AuditEntry.UserId), nameof(AuditEntry.Via), nameof(AuditEntry.At),
        nameof(AuditEntry.EntityType), nameof(AuditEntry.EntityId), nameof(AuditEntry.Action), nameof(AuditEntry.Field),
        nameof(AuditEntry.OldValue), nameof(AuditEntry.NewValue),
    ];

    // Rows per statement: SQL Server takes at most 2,100 parameters in a command (and 1,000 rows in a VALUES list).
    private const int RowsPerStatement = 200;

    /// <summary>The statements that insert the rows (one for up to 200 rows), as SQL text and its parameters.</summary>
    public static IEnumerable<(string Sql, object[] Parameters)> Inserts(AppDbContext db, IReadOnlyList<AuditRow> rows)
    {
        if (rows.Count == 0) yield break;
        var table = Table.Of(db);
        using var factory = db.Database.GetDbConnection().CreateCommand();
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            var parameters = new object[count * Columns.Length];
            for (var r = 0; r < count; r++)
            {
                var row = rows[start + r];
                object?[] values = [row.DistrictId, row.UserId, row.Via, row.At, row.EntityType, row.EntityId, row.Action, row.Field, row.Old, row.New];
                for (var c = 0; c < Columns.Length; c++)
                {
                    var i = r * Columns.Length + c;
                    parameters[i] = table.Mappings[c].CreateParameter(factory, table.ParameterNames[i], values[c], table.Nullable[c]);
                }
            }
            yield return (table.Sql(count), parameters);
        }
    }

    /// <summary>
    /// The audit table as the model maps it for the provider (names, quoting, value conversions such as SQLite's binary
    /// times), and the INSERT text for each number of rows, worked out once per model.
    /// </summary>
    private sealed class Table
    {
        private static readonly ConcurrentDictionary<IModel, Table> Tables = new();

        public static Table Of(AppDbContext db) => Tables.GetOrAdd(db.Model, _ => new Table(db));

        private readonly string _head;
        private readonly ISqlGenerationHelper _generation;
        private readonly ConcurrentDictionary<int, string> _sql = new();

        public RelationalTypeMapping[] Mappings { get; }
        public bool[] Nullable { get; }
        public string[] ParameterNames { get; }

        private Table(AppDbContext db)
        {
            var sql = db.GetService<ISqlGenerationHelper>();
            var type = db.Model.FindEntityType(typeof(AuditEntry))!;
            var properties = Columns.Select(c => type.FindProperty(c)!).ToArray();
            Mappings = properties.Select(p => p.GetRelationalTypeMapping()).ToArray();
            Nullable = properties.Select(p => p.IsNullable).ToArray();
            ParameterNames = Enumerable.Range(0, RowsPerStatement * Columns.Length)
                .Select(i => sql.GenerateParameterName("a" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
            _head = $"INSERT INTO {sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema())} " +
                $"({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())))}) VALUES ";
            _generation = sql;
        }

        public string Sql(int rows) => _sql.GetOrAdd(rows, n =>
        {
            var text = new StringBuilder(_head);
            for (var r = 0; r < n; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < Columns.Length; c++)
                {
                    if (c > 0) text.Append(", ");
                    text.Append(_generation.GenerateParameterNamePlaceholder(ParameterNames[r * Columns.Length + c]));
                }
                text.Append(')');
            }
            return text.ToString();
        });
    }
}

/// <summary>One audit row to write: a field of a record, and who changed it when.</summary>
internal sealed record AuditRow(int? DistrictId, string? UserId, string? Via, DateTimeOffset At, string EntityType, string EntityId,
    AuditAction Action, string Field, string? Old, string? New);
