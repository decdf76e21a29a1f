namespace MicipPlanner.Domain.Workshops;

/// <summary>Accounts made for workshop seats: addresses under a reserved domain that never receives mail.</summary>
public static class WorkshopSeats
{
    public const string EmailDomain = "participants.invalid";
}
