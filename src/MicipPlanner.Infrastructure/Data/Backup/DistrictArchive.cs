using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Infrastructure.Data.Backup;

/// <summary>
/// A whole district as one versioned JSON document (backup), and its restore. Every stored column of
/// every district record is written, read from the EF model so a new column cannot be forgotten;
/// ids are remapped on import and people are matched (or created) by e-mail address.
/// </summary>
public sealed partial class DistrictArchive(AppDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public const int FormatVersion = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>One kind of record, in the order that satisfies references on import.</summary>
    private sealed record Table(string Name, Type ClrType, Func<AppDbContext, int, Task<List<object>>> Load);

    private static Table Of<T>(Func<AppDbContext, int, IQueryable<T>> query) where T : class =>
        new(typeof(T).Name, typeof(T), async (context, districtId) =>
            (await query(context, districtId).AsNoTracking().ToListAsync()).Cast<object>().ToList());

    private static readonly Table[] Tables =
    [
        Of((c, d) => c.Districts.Where(x => x.Id == d)),
        Of((c, d) => c.Buildings.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.Cycles.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        // --- Networks: the district's practice notes (its sharing setting is a District column) ---
        Of((c, d) => c.PracticeNotes.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        // --- end Networks ---
        Of((c, d) => c.TeamMemberships.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.FacilitatorAssignments.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.Invitations.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.RatingGroups.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.RatingGroupMembers.Where(m => c.RatingGroups.Any(g => g.Id == m.RatingGroupId && g.DistrictId == d)).OrderBy(x => x.Id)),
        // --- Workshop mode: workshops, then their seats (after cycles and rating groups, which they point at) ---
        Of((c, d) => c.Workshops.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.WorkshopParticipants.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        // --- end of workshop mode ---
        Of((c, d) => c.RubricRatings.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.ConsensusRatings.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.DiscussionNotes.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.ConsequenceExamples.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.OutcomeReflections.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.ActionItems.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        // The plan: goals, then what points at them (strategies, activities with their buildings, check-ins, meetings,
        // measures and their rows); after the action items, which activities filed from them point at
        Of((c, d) => c.PlanGoals.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanStrategies.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanActivities.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanActivityBuildings.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanCheckIns.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanMeetings.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanMeasures.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanMeasureTargets.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanMeasurePhases.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.PlanMeasureValues.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.BalanceTemplates.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.BalanceTemplateItems.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.TemplateTransitions.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.Comments.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.Notifications.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
        Of((c, d) => c.AuditEntries.Where(x => x.DistrictId == d).OrderBy(x => x.Id)),
    ];

    public static IReadOnlyList<string> TableNames => Tables.Select(t => t.Name).ToList();

    /// <summary>Integer columns that point at another exported record, by column name.</summary>
    public static readonly IReadOnlyDictionary<string, string> References = new Dictionary<string, string>
    {
        ["DistrictId"] = nameof(District),
        ["BuildingId"] = nameof(Building),
        ["CycleId"] = nameof(Cycle),
        ["RatingGroupId"] = nameof(RatingGroup),
        ["TemplateId"] = nameof(BalanceTemplate),
        ["WorkshopId"] = nameof(Workshop), // workshop mode
        ["GoalId"] = nameof(PlanGoal),
        ["StrategyId"] = nameof(PlanStrategy),
        ["ActivityId"] = nameof(PlanActivity),
        ["SourceActionItemId"] = nameof(ActionItem),
        ["MeasureId"] = nameof(PlanMeasure),
    };

    /// <summary>Text columns holding a person's account id (…UserId).</summary>
    public static bool IsUserColumn(string name, Type type) => type == typeof(string) && name.EndsWith("UserId", StringComparison.Ordinal);

    private IEnumerable<(string Name, PropertyInfo Info)> Columns(Type type) =>
        db.Model.FindEntityType(type)!.GetProperties()
            .Where(p => p.PropertyInfo is not null)
            .Select(p => (p.Name, p.PropertyInfo!));

    public async Task<JsonObject> ExportAsync(int districtId, CancellationToken cancellationToken = default)
    {
        var tables = new JsonObject();
        var userIds = new HashSet<string>();
        string? name = null;
        foreach (var table in Tables)
        {
            var records = await table.Load(db, districtId);
            var array = new JsonArray();
            foreach (var record in records)
            {
                var row = new JsonObject();
                foreach (var (column, info) in Columns(table.ClrType))
                {
                    var value = info.GetValue(record);
                    row[JsonNamingPolicy.CamelCase.ConvertName(column)] = JsonSerializer.SerializeToNode(value, info.PropertyType, Json);
                    if (value is string s && IsUserColumn(column, info.PropertyType)) userIds.Add(s);
                }
                if (record is District d) name = d.Name;
                array.Add(row);
            }
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
                    foreach (var node in rows)
                    {
                        if (node is not JsonObject row) continue;
                        var entity = Activator.CreateInstance(table.ClrType)!;
                        long oldId = 0;
                        foreach (var (column, info) in Columns(table.ClrType))
                        {
                            var key = JsonNamingPolicy.CamelCase.ConvertName(column);
                            if (!row.TryGetPropertyValue(key, out var valueNode)) continue;
                            var value = valueNode?.Deserialize(info.PropertyType, Json);
                            if (column == "Id")
                            {
                                oldId = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                                continue; // a new key is given on insert
                            }
                            value = Remap(table.Name, column, info.PropertyType, value, ids, userMap, row);
                            info.SetValue(entity, value);
                        }
                        db.Add(entity);
                        added.Add((oldId, entity));
                    }
                    // Workshop mode: join codes are unique across the database; a code taken here gets a new one.
                    if (table.ClrType == typeof(Workshop)) await FreeWorkshopCodesAsync(added.Select(a => (Workshop)a.Entity), cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    var map = new Dictionary<long, long>();
                    foreach (var (oldId, entity) in added)
                        map[oldId] = Convert.ToInt64(db.Entry(entity).Property("Id").CurrentValue, CultureInfo.InvariantCulture);
                    ids[table.Name] = map;
                    counts[table.Name] = added.Count;
                    if (table.ClrType == typeof(District) && added.Count == 1)
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

    private object? Remap(string table, string column, Type type, object? value, Dictionary<string, Dictionary<long, long>> ids,
        IReadOnlyDictionary<string, string> userMap, JsonObject row)
    {
        if (value is null) return null;
        if (IsUserColumn(column, type))
            return userMap.TryGetValue((string)value, out var userId) ? userId : value;
        if (References.TryGetValue(column, out var target) && value is int reference)
            return (int)MapId(ids, target, reference);

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
            // --- Workshop mode: the workshop's small groups are rating group ids in one text column ---
            case (nameof(Workshop), nameof(Workshop.GroupIds)):
                return WorkshopRules.FormatIds(WorkshopRules.ParseIds((string)value).Select(id => (int)MapId(ids, nameof(RatingGroup), id)).ToList());
            // --- end of workshop mode ---
            case (nameof(AuditEntry), nameof(AuditEntry.EntityId)):
                var entityType = row["entityType"]?.GetValue<string>() ?? "";
                return long.TryParse((string)value, CultureInfo.InvariantCulture, out var entityId) && ids.TryGetValue(entityType, out var entityMap)
                       && entityMap.TryGetValue(entityId, out var newEntityId)
                    ? newEntityId.ToString(CultureInfo.InvariantCulture)
                    : value;
            case (nameof(AuditEntry), nameof(AuditEntry.OldValue)):
            case (nameof(AuditEntry), nameof(AuditEntry.NewValue)):
                var field = row["field"]?.GetValue<string>() ?? "";
                if (field == "Id")
                {
                    var type2 = row["entityType"]?.GetValue<string>() ?? "";
                    return RemapText((string)value, ids, type2);
                }
                if (References.TryGetValue(field, out var fieldTarget)) return RemapText((string)value, ids, fieldTarget);
                if (field.EndsWith("UserId", StringComparison.Ordinal) && userMap.TryGetValue((string)value, out var user)) return user;
                return value;
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
