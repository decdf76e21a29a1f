using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MicipPlanner.Infrastructure.Data.Backup;

/// <summary>
/// A whole district as one versioned JSON document (backup), and its restore. What is written is read from the EF
/// model, so a new table, column or reference cannot be forgotten: every table on a path to a district
/// (<see cref="DistrictPath"/>), every stored column, in an order where each table follows those its references point
/// at. On import ids are remapped through the model's references (<see cref="ModelReferences"/>) and people, the
/// records those of <see cref="AppUser"/> point at, are matched (or created) by e-mail address.
/// </summary>
public sealed partial class DistrictArchive(AppDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public const int FormatVersion = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Entity types that belong to a district but are not archived as records, and why. Everything else on a path to
    /// a district (<see cref="DistrictPath"/>) is.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> CarriedOtherwise = new Dictionary<Type, string>
    {
        [typeof(NetworkMembership)] = "it points at a network, which is not the district's own: carried by the network's name (networkMemberships)",
    };

    /// <summary>One kind of record: its model type and how it leads to its district.</summary>
    private sealed record Table(IEntityType Type, DistrictPath Path)
    {
        public string Name => Type.ClrType.Name;
    }

    private static readonly ConditionalWeakTable<IModel, IReadOnlyList<Table>> TablesByModel = [];

    /// <summary>
    /// The archived kinds of record, read from the model: every entity type on a path to a district, each after the
    /// types its references point at (so a restore can translate every reference as it goes).
    /// </summary>
    private static IReadOnlyList<Table> TablesOf(IModel model) => TablesByModel.GetValue(model, m =>
    {
        var archived = m.GetEntityTypes()
            .Where(t => !CarriedOtherwise.ContainsKey(t.ClrType))
            .Select(t => DistrictPath.Of(t) is { } path ? new Table(t, path) : null).OfType<Table>()
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        IEnumerable<Type> Before(Table table) => table.Type.ClrType == typeof(AuditEntry)
            ? archived.Select(a => a.Type.ClrType).Where(t => t != typeof(AuditEntry))
            : ModelReferences.Of(table.Type).Select(r => r.Principal.ClrType).Concat(TextReferences.GetValueOrDefault(table.Type.ClrType, []));
        var ordered = new List<Table>();
        var placed = new HashSet<Type>();
        while (ordered.Count < archived.Count)
        {
            var ready = archived.FirstOrDefault(t => !placed.Contains(t.Type.ClrType)
                && Before(t).All(b => placed.Contains(b) || b == t.Type.ClrType || archived.All(a => a.Type.ClrType != b)))
                ?? throw new InvalidOperationException("The district's tables refer to each other in a circle; the backup cannot order them.");
            ordered.Add(ready);
            placed.Add(ready.Type.ClrType);
        }
        return ordered;
    });

    /// <summary>
    /// Text columns that hold ids of other tables, which the model cannot know (translated in <see cref="Remap"/>): those
    /// tables are restored first. An audit entry may name a record of any table, so the audit trail comes last.
    /// </summary>
    private static readonly Dictionary<Type, Type[]> TextReferences = new()
    {
        [typeof(Comment)] = [typeof(BalanceTemplate), typeof(BalanceTemplateItem)],
        [typeof(Notification)] = [typeof(District), typeof(Cycle), typeof(Building)],
    };

    /// <summary>The archived tables, in the order a restore writes them.</summary>
    public static IReadOnlyList<string> TableNames(IModel model) => TablesOf(model).Select(t => t.Name).ToList();

    private IReadOnlyList<Table> Tables => TablesOf(db.Model);

    /// <summary>The record kind a column points at, when it points at an archived record.</summary>
    private string? ArchivedPrincipal(IEntityType type, string column) =>
        ModelReferences.Find(type, column) is { } reference && Tables.Any(t => t.Type == reference.Principal) ? reference.Principal.ClrType.Name : null;

    private static bool IsUserReference(IEntityType type, string column) =>
        ModelReferences.Find(type, column)?.Principal.ClrType == typeof(AppUser);

    private IEnumerable<(string Name, PropertyInfo Info)> Columns(Type type) =>
        db.Model.FindEntityType(type)!.GetProperties()
            .Where(p => p.PropertyInfo is not null)
            .Select(p => (p.Name, p.PropertyInfo!));

    /// <summary>
    /// A table's records of the district, ordered by key: the district itself, the records pointing at it, or those
    /// pointing at records already exported (the first step of their path).
    /// </summary>
    private async Task<List<object>> LoadAsync(Table table, int districtId, IReadOnlyDictionary<string, List<int>> exported)
    {
        var record = Expression.Parameter(table.Type.ClrType, "x");
        Expression Column(string name, Type type) => Expression.Call(typeof(EF), nameof(EF.Property), [type], record, Expression.Constant(name));
        var key = table.Type.FindPrimaryKey()!.Properties[0];
        Expression filter = table.Path.Steps switch
        {
            [] => Expression.Equal(Column(key.Name, key.ClrType), Expression.Constant(districtId, key.ClrType)),
            [var only] => Expression.Equal(Column(only.Property.Name, only.Property.ClrType), Expression.Constant(districtId, only.Property.ClrType)),
            [var first, ..] => Expression.Call(Expression.Constant(exported[first.Principal.ClrType.Name]), nameof(List<int>.Contains), [],
                Column(first.Property.Name, typeof(int))),
        };
        var load = LoadMethod.MakeGenericMethod(table.Type.ClrType, key.ClrType);
        return await (Task<List<object>>)load.Invoke(this, [Expression.Lambda(filter, record), Expression.Lambda(Column(key.Name, key.ClrType), record)])!;
    }

    private static readonly MethodInfo LoadMethod = typeof(DistrictArchive).GetMethod(nameof(LoadWhereAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private async Task<List<object>> LoadWhereAsync<T, TKey>(LambdaExpression filter, LambdaExpression key) where T : class =>
        (await db.Set<T>().Where((Expression<Func<T, bool>>)filter).OrderBy((Expression<Func<T, TKey>>)key).AsNoTracking().ToListAsync()).Cast<object>().ToList();

    public async Task<JsonObject> ExportAsync(int districtId, CancellationToken cancellationToken = default)
    {
        var tables = new JsonObject();
        var userIds = new HashSet<string>();
        string? name = null;
        var exported = new Dictionary<string, List<int>>();
        foreach (var table in Tables)
        {
            var records = await LoadAsync(table, districtId, exported);
            var array = new JsonArray();
            var keys = new List<int>();
            foreach (var record in records)
            {
                var row = new JsonObject();
                foreach (var (column, info) in Columns(table.Type.ClrType))
                {
                    var value = info.GetValue(record);
                    row[JsonNamingPolicy.CamelCase.ConvertName(column)] = JsonSerializer.SerializeToNode(value, info.PropertyType, Json);
                    if (value is string s && IsUserReference(table.Type, column)) userIds.Add(s);
                }
                if (record is District d) name = d.Name;
                if (record is Entity entity) keys.Add(entity.Id);
                array.Add(row);
            }
            exported[table.Name] = keys;
            tables[table.Name] = array;
        }

        var people = await db.Users.Where(u => userIds.Contains(u.Id)).OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.CreatedAt }).AsNoTracking().ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).AsNoTracking().ToListAsync(cancellationToken);
        var usersArray = new JsonArray();
        foreach (var p in people)
        {
            usersArray.Add(new JsonObject
            {
                ["id"] = p.Id,
                ["email"] = p.Email,
                ["displayName"] = p.DisplayName,
                ["createdAt"] = JsonSerializer.SerializeToNode(p.CreatedAt, Json),
                ["roles"] = new JsonArray(roles.Where(r => r.UserId == p.Id).Select(r => (JsonNode?)JsonValue.Create(r.Name)).ToArray()),
            });
        }

        return new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["application"] = "MICIP Planner",
            ["exportedAt"] = JsonSerializer.SerializeToNode(clock.GetUtcNow(), Json),
            ["district"] = new JsonObject { ["id"] = districtId, ["name"] = name },
            ["users"] = usersArray,
            ["tables"] = tables,
            // --- Networks: memberships by network name (networks are not the district's own records) ---
            ["networkMemberships"] = await NetworkMembershipsAsync(districtId, cancellationToken),
            // --- end Networks ---
        };
    }

    // --- Networks ---------------------------------------------------------------------------------------------------

    private async Task<JsonArray> NetworkMembershipsAsync(int districtId, CancellationToken cancellationToken)
    {
        var memberships = await db.NetworkMemberships.AsNoTracking().Where(m => m.DistrictId == districtId)
            .Join(db.Networks, m => m.NetworkId, n => n.Id, (m, n) => new { n.Name, m.AddedAt }).OrderBy(m => m.Name).ToListAsync(cancellationToken);
        return new JsonArray(memberships.Select(m => (JsonNode)new JsonObject
        {
            ["network"] = m.Name,
            ["addedAt"] = JsonSerializer.SerializeToNode(m.AddedAt, Json),
        }).ToArray());
    }

    /// <summary>
    /// Puts the restored district back on the networks of the file that exist here (matched by name); a network this
    /// installation does not have is left for an administrator, who creates it and adds the district.
    /// </summary>
    private async Task<int> RestoreNetworkMembershipsAsync(JsonArray memberships, int districtId, CancellationToken cancellationToken)
    {
        var restored = 0;
        foreach (var node in memberships.OfType<JsonObject>())
        {
            var name = node["network"]?.GetValue<string>() ?? "";
            var networkId = await db.Networks.Where(n => n.Name == name).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken);
            if (networkId is null || await db.NetworkMemberships.AnyAsync(m => m.NetworkId == networkId && m.DistrictId == districtId, cancellationToken)) continue;
            db.NetworkMemberships.Add(new NetworkMembership
            {
                NetworkId = networkId.Value, DistrictId = districtId, AddedAt = node["addedAt"]?.Deserialize<DateTimeOffset>(Json) ?? clock.GetUtcNow(),
            });
            restored++;
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return restored;
    }

    // --- end Networks -----------------------------------------------------------------------------------------------

    public sealed record ImportResult(int DistrictId, string DistrictName, IReadOnlyDictionary<string, int> Counts, int UsersCreated, int UsersMatched);

    /// <summary>Restores an exported district. Refused (nothing written) when the file is not an export
    /// this version understands or when a district with the same code already exists.</summary>
    public async Task<ImportResult> ImportAsync(Stream file, CancellationToken cancellationToken = default)
    {
        JsonObject document;
        try
        {
            document = await JsonNode.ParseAsync(file, cancellationToken: cancellationToken) as JsonObject
                ?? throw new ImportException("The file is not a district export.");
        }
        catch (JsonException ex)
        {
            throw new ImportException($"The file is not valid JSON: {ex.Message}");
        }
        var version = document["formatVersion"]?.GetValue<int>();
        if (version is null) throw new ImportException("The file has no formatVersion: it is not a district export.");
        if (version != FormatVersion) throw new ImportException($"The file has format version {version}; this version of the app reads version {FormatVersion}.");
        if (document["tables"] is not JsonObject tables) throw new ImportException("The file has no tables.");

        var districtRow = (tables[nameof(District)] as JsonArray)?.SingleOrDefault() as JsonObject
            ?? throw new ImportException("The file holds no district.");
        var code = districtRow["code"]?.GetValue<string>() ?? "";
        if (await db.Districts.AnyAsync(d => d.Code == code, cancellationToken))
            throw new ImportException($"A district with code {code} already exists here; import into an empty database.");

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var previousAudit = db.AuditEnabled;
            db.AuditEnabled = false; // the district's own audit trail is restored as it was
            db.PreserveVersions = true;
            try
            {
                var (userMap, created, matched) = await ImportUsersAsync(document["users"] as JsonArray ?? [], cancellationToken);
                var ids = new Dictionary<string, Dictionary<long, long>>();
                var counts = new Dictionary<string, int>();
                int? newDistrictId = null;
                string districtName = "";
                foreach (var table in Tables)
                {
                    var rows = tables[table.Name] as JsonArray ?? [];
                    var added = new List<(long OldId, object Entity)>();
                    var map = new Dictionary<long, long>();
                    ids[table.Name] = map;
                    // A record pointing at another of its own table (a PDSA cycle at the one it follows) needs that one's new
                    // key first: such a table is inserted row by row in key order, in which a referenced record comes first.
                    var refersToItself = ModelReferences.Of(table.Type).Any(r => r.Principal == table.Type);
                    foreach (var node in rows)
                    {
                        if (node is not JsonObject row) continue;
                        var entity = Activator.CreateInstance(table.Type.ClrType)!;
                        long oldId = 0;
                        foreach (var (column, info) in Columns(table.Type.ClrType))
                        {
                            var key = JsonNamingPolicy.CamelCase.ConvertName(column);
                            if (!row.TryGetPropertyValue(key, out var valueNode)) continue;
                            var value = valueNode?.Deserialize(info.PropertyType, Json);
                            if (column == "Id")
                            {
                                oldId = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                                continue; // a new key is given on insert
                            }
                            value = Remap(table.Type, column, value, ids, userMap, row);
                            info.SetValue(entity, value);
                        }
                        db.Add(entity);
                        added.Add((oldId, entity));
                        if (refersToItself)
                        {
                            await db.SaveChangesAsync(cancellationToken);
                            map[oldId] = Convert.ToInt64(db.Entry(entity).Property("Id").CurrentValue, CultureInfo.InvariantCulture);
                        }
                    }
                    // Workshop mode: join codes are unique across the database; a code taken here gets a new one.
                    if (table.Type.ClrType == typeof(Workshop)) await FreeWorkshopCodesAsync(added.Select(a => (Workshop)a.Entity), cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    foreach (var (oldId, entity) in added)
                        map[oldId] = Convert.ToInt64(db.Entry(entity).Property("Id").CurrentValue, CultureInfo.InvariantCulture);
                    counts[table.Name] = added.Count;
                    if (table.Type.ClrType == typeof(District) && added.Count == 1)
                    {
                        var district = (District)added[0].Entity;
                        newDistrictId = district.Id;
                        districtName = district.Name;
                    }
                    db.ChangeTracker.Clear();
                }
                // --- Networks ---
                counts[nameof(NetworkMembership)] = await RestoreNetworkMembershipsAsync(document["networkMemberships"] as JsonArray ?? [], newDistrictId!.Value, cancellationToken);
                // --- end Networks ---
                await transaction.CommitAsync(cancellationToken);
                return new ImportResult(newDistrictId!.Value, districtName, counts, created, matched);
            }
            finally
            {
                db.AuditEnabled = previousAudit;
                db.PreserveVersions = false;
            }
        });
    }

    private object? Remap(IEntityType type, string column, object? value, Dictionary<string, Dictionary<long, long>> ids,
        IReadOnlyDictionary<string, string> userMap, JsonObject row)
    {
        if (value is null) return null;
        if (IsUserReference(type, column))
            return userMap.TryGetValue((string)value, out var userId) ? userId : value;
        if (ArchivedPrincipal(type, column) is { } target)
            return (int)MapId(ids, target, Convert.ToInt64(value, CultureInfo.InvariantCulture));

        var table = type.ClrType.Name;
        switch (table, column)
        {
            case (nameof(Comment), nameof(Comment.TargetKey)):
                var targetType = row["targetType"]?.Deserialize<CommentTarget>(Json);
                var targetTable = targetType switch
                {
                    CommentTarget.Template => nameof(BalanceTemplate),
                    CommentTarget.TemplateItem => nameof(BalanceTemplateItem),
                    _ => null,
                };
                return targetTable is not null && long.TryParse((string)value, CultureInfo.InvariantCulture, out var old)
                    ? MapId(ids, targetTable, old).ToString(CultureInfo.InvariantCulture)
                    : value;
            case (nameof(Notification), nameof(Notification.Link)):
                return RemapLink((string)value, ids);
            case (nameof(AuditEntry), nameof(AuditEntry.EntityId)):
                var entityType = row["entityType"]?.GetValue<string>() ?? "";
                return long.TryParse((string)value, CultureInfo.InvariantCulture, out var entityId) && ids.TryGetValue(entityType, out var entityMap)
                       && entityMap.TryGetValue(entityId, out var newEntityId)
                    ? newEntityId.ToString(CultureInfo.InvariantCulture)
                    : value;
            case (nameof(AuditEntry), nameof(AuditEntry.OldValue)):
            case (nameof(AuditEntry), nameof(AuditEntry.NewValue)):
                var field = row["field"]?.GetValue<string>() ?? "";
                var audited = row["entityType"]?.GetValue<string>() ?? "";
                if (field == "Id") return RemapText((string)value, ids, audited);
                if (db.Model.GetEntityTypes().FirstOrDefault(t => t.ClrType.Name == audited) is not { } auditedType) return value;
                if (IsUserReference(auditedType, field)) return userMap.TryGetValue((string)value, out var user) ? user : value;
                return ArchivedPrincipal(auditedType, field) is { } fieldTarget ? RemapText((string)value, ids, fieldTarget) : value;
            default:
                return value;
        }
    }

    // --- Workshop mode ---
    private async Task FreeWorkshopCodesAsync(IEnumerable<Workshop> workshops, CancellationToken cancellationToken)
    {
        foreach (var workshop in workshops)
        {
            var code = workshop.Code;
            while (await db.Workshops.AsNoTracking().AnyAsync(w => w.Code == code, cancellationToken)) code = WorkshopCodes.New();
            workshop.Code = code;
        }
    }

    /// <summary>Seat accounts (ADR 9) come back as they were: nobody can ever sign in with them.</summary>
    private static bool IsSeatAccount(string email) => email.EndsWith("@" + WorkshopSeats.EmailDomain, StringComparison.OrdinalIgnoreCase);
    // --- end of workshop mode ---

    private static long MapId(Dictionary<string, Dictionary<long, long>> ids, string table, long old) =>
        ids.TryGetValue(table, out var map) && map.TryGetValue(old, out var mapped) ? mapped
        : throw new ImportException($"A record refers to {table} {old}, which is not in the file.");

    private static string RemapText(string text, Dictionary<string, Dictionary<long, long>> ids, string table) =>
        long.TryParse(text, CultureInfo.InvariantCulture, out var old) && ids.TryGetValue(table, out var map) && map.TryGetValue(old, out var mapped)
            ? mapped.ToString(CultureInfo.InvariantCulture)
            : text;

    /// <summary>In-app links carry district, cycle and building numbers: point them at the restored records.</summary>
    private static string RemapLink(string link, Dictionary<string, Dictionary<long, long>> ids) =>
        LinkIds().Replace(link, m =>
        {
            var table = m.Groups[1].Value switch { "districts" => nameof(District), "cycles" => nameof(Cycle), _ => nameof(Building) };
            return $"/{m.Groups[1].Value}/{RemapText(m.Groups[2].Value, ids, table)}";
        });

    [GeneratedRegex(@"/(districts|cycles|buildings)/(\d+)")]
    private static partial Regex LinkIds();

    private async Task<(Dictionary<string, string> Map, int Created, int Matched)> ImportUsersAsync(JsonArray people, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>();
        int created = 0, matched = 0;
        foreach (var node in people.OfType<JsonObject>())
        {
            var oldId = node["id"]?.GetValue<string>() ?? "";
            var email = node["email"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(email)) throw new ImportException("A person in the file has no e-mail address.");
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new AppUser
                {
                    UserName = email,
                    Email = email,
                    EmailConfirmed = true,
                    DisplayName = node["displayName"]?.GetValue<string>() ?? email,
                    CreatedAt = node["createdAt"]?.Deserialize<DateTimeOffset>(Json) ?? clock.GetUtcNow(),
                };
                if (IsSeatAccount(email))
                {
                    // Workshop mode: a seat account keeps its permanent lockout and an address that was never confirmed.
                    user.EmailConfirmed = false;
                    user.LockoutEnabled = true;
                    user.LockoutEnd = DateTimeOffset.MaxValue;
                }
                // No password: the person sets one through an invitation or a password reset.
                var result = await users.CreateAsync(user);
                if (!result.Succeeded) throw new ImportException($"Could not create the account {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
                foreach (var role in (node["roles"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).OfType<string>())
                {
                    if (AppRoles.All.Contains(role)) await users.AddToRoleAsync(user, role);
                }
                created++;
            }
            else
            {
                matched++;
            }
            map[oldId] = user.Id;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return (map, created, matched);
    }
}

/// <summary>The import file cannot be restored; the message says why. Nothing was written.</summary>
public sealed class ImportException(string message) : Exception(message);
