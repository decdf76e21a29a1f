namespace MicipPlanner.Domain.Common;

/// <summary>Base of every persisted domain record.</summary>
public abstract class Entity
{
    public int Id { get; set; }

    /// <summary>
    /// Optimistic concurrency token, renewed on every save. A Guid works on SQLite and SQL Server
    /// alike (a rowversion column is never set by SQLite, so lost updates would go unnoticed).
    /// </summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>A record that belongs to one district: the unit of tenant isolation.</summary>
public interface IDistrictOwned
{
    int DistrictId { get; }
}
