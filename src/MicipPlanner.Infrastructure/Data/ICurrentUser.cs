namespace MicipPlanner.Infrastructure.Data;

/// <summary>Who is making the change, for the audit trail.</summary>
public interface ICurrentUser
{
    string? UserId { get; }

    /// <summary>How the change came in when not through the person's own sign-in (a workshop seat), for the audit trail.</summary>
    string? Via => null;
}

public sealed class NoCurrentUser : ICurrentUser
{
    public string? UserId => null;
}
