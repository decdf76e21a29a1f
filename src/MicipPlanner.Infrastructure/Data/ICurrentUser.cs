namespace MicipPlanner.Infrastructure.Data;

/// <summary>Who is making the change, for the audit trail.</summary>
public interface ICurrentUser
{
    string? UserId { get; }
}

public sealed class NoCurrentUser : ICurrentUser
{
    public string? UserId => null;
}
