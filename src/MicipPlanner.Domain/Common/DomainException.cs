namespace MicipPlanner.Domain.Common;

/// <summary>A business rule refused an operation; the message is fit to show to the user.</summary>
public sealed class DomainRuleException(string message) : Exception(message);
