using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data;

/// <summary>A column that points at a record of another entity type.</summary>
public sealed record ModelReference(IProperty Property, IEntityType Principal, bool IsRequired);

/// <summary>
/// What points at what, read from the EF model: its foreign keys, and the references declared with
/// <see cref="RefersTo{TPrincipal}"/> on columns kept without a database constraint (a second cascade path SQL Server
/// refuses, or a person who may be deleted while their name stays on what they wrote). The backup remaps ids through
/// these, and the save pipeline finds a record's district through them (<see cref="DistrictPath"/>).
/// </summary>
public static class ModelReferences
{
    private const string Annotation = "MicipPlanner:RefersTo";

    /// <summary>Declares that the column holds the key of a <typeparamref name="TPrincipal"/>, without a database constraint.</summary>
    public static PropertyBuilder RefersTo<TPrincipal>(this PropertyBuilder property) =>
        property.HasAnnotation(Annotation, typeof(TPrincipal).FullName);

    /// <summary>
    /// A record that belongs to a district (<see cref="IDistrictOwned"/>) points at it with its DistrictId, whether or
    /// not the column has a constraint. Called once the configurations have run.
    /// </summary>
    public static void DeclareDistrictReferences(ModelBuilder builder)
    {
        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IDistrictOwned).IsAssignableFrom(t.ClrType) && t.ClrType != typeof(District)))
        {
            var property = type.FindProperty(nameof(IDistrictOwned.DistrictId))!;
            if (!property.IsForeignKey()) property.SetAnnotation(Annotation, typeof(District).FullName);
        }
    }

    /// <summary>Every single-column reference of the entity type: its foreign keys, then its declared references.</summary>
    public static IEnumerable<ModelReference> Of(IEntityType type)
    {
        foreach (var key in type.GetForeignKeys().Where(k => k.Properties.Count == 1))
            yield return new ModelReference(key.Properties[0], key.PrincipalEntityType, key.IsRequired);
        foreach (var property in type.GetProperties())
        {
            if (property.FindAnnotation(Annotation)?.Value is string principal && !property.IsForeignKey())
                yield return new ModelReference(property, type.Model.FindEntityType(principal)!, !property.IsNullable);
        }
    }

    /// <summary>The reference a column holds, or null when it is not one.</summary>
    public static ModelReference? Find(IEntityType type, string propertyName) =>
        Of(type).FirstOrDefault(r => r.Property.Name == propertyName);
}

/// <summary>
/// How a record leads to its district: the district itself, a reference to one, or a chain of required references to a
/// record that has one. The save pipeline raises that district's data version and files the record's audit rows under
/// it; the backup takes the records of a district along it; a model test holds every district table to having one.
/// </summary>
public sealed class DistrictPath
{
    private DistrictPath(IReadOnlyList<ModelReference> steps) => Steps = steps;

    /// <summary>The references followed, the last one pointing at the district; none for the district itself.</summary>
    public IReadOnlyList<ModelReference> Steps { get; }

    private static readonly ConditionalWeakTable<IEntityType, DistrictPath?> Cache = [];

    /// <summary>The entity type's path to its district, or null for a table that belongs to no district.</summary>
    public static DistrictPath? Of(IEntityType type) => Cache.GetValue(type, t => Find(t, []));

    private static DistrictPath? Find(IEntityType type, HashSet<IEntityType> visited)
    {
        if (type.ClrType == typeof(District)) return new DistrictPath([]);
        if (!visited.Add(type)) return null;
        var references = ModelReferences.Of(type).ToList();
        if (references.FirstOrDefault(r => r.Principal.ClrType == typeof(District)) is { } direct) return new DistrictPath([direct]);
        foreach (var reference in references.Where(r => r.IsRequired).OrderBy(r => r.Property.Name, StringComparer.Ordinal))
        {
            if (Find(reference.Principal, visited) is { } rest) return new DistrictPath([reference, .. rest.Steps]);
        }
        return null;
    }

    /// <summary>
    /// The district of a record being saved: read along the path from the record, from records the context tracks and,
    /// for a principal it does not track, from the database. Null for a record of no district.
    /// </summary>
    public static int? DistrictOf(EntityEntry entry)
    {
        if (Of(entry.Metadata) is not { } path) return null;
        if (path.Steps.Count == 0) return (int?)entry.Property(entry.Metadata.FindPrimaryKey()!.Properties[0].Name).CurrentValue;
        var value = entry.Property(path.Steps[0].Property.Name).CurrentValue;
        for (var i = 1; i < path.Steps.Count && value is not null; i++)
            value = ReadFromPrincipal(entry.Context, path.Steps[i - 1].Principal, value, path.Steps[i].Property);
        return value is null ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static object? ReadFromPrincipal(DbContext db, IEntityType principal, object key, IProperty column)
    {
        var keyProperty = principal.FindPrimaryKey()!.Properties[0];
        return ReadMethod.MakeGenericMethod(principal.ClrType, keyProperty.ClrType, column.ClrType).Invoke(null, [db, keyProperty.Name, key, column.Name]);
    }

    private static readonly MethodInfo ReadMethod =
        typeof(DistrictPath).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>A column of the record with the key: as the context holds it (it may be new or changed), else as stored.</summary>
    private static object? Read<TEntity, TKey, TValue>(DbContext db, string keyName, object key, string column) where TEntity : class =>
        db.Set<TEntity>().Local.FindEntry((TKey)key) is { } tracked
            ? tracked.Property(column).CurrentValue
            : db.Set<TEntity>().Where(Equal<TEntity, TKey>(keyName, (TKey)key)).Select(x => EF.Property<TValue>(x, column)).FirstOrDefault();

    /// <summary>x => EF.Property&lt;TValue&gt;(x, column) == value, for a query over any entity type.</summary>
    private static Expression<Func<TEntity, bool>> Equal<TEntity, TValue>(string column, TValue value)
    {
        var x = Expression.Parameter(typeof(TEntity), "x");
        var property = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(TValue)], x, Expression.Constant(column));
        return Expression.Lambda<Func<TEntity, bool>>(Expression.Equal(property, Expression.Constant(value, typeof(TValue))), x);
    }
}
