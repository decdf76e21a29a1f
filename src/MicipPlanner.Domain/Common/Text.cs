namespace MicipPlanner.Domain.Common;

/// <summary>Length limits shared by validators, the model configuration and the screens.</summary>
public static class TextLimits
{
    public const int Name = 200;
    public const int ShortText = 500;
    public const int LongText = 8000;
    public const int Email = 256;
}

public static class StateCodes
{
    /// <summary>Michigan district and building codes are exactly five digits.</summary>
    public static bool IsValid(string? code) =>
        code is { Length: 5 } && code.All(char.IsAsciiDigit);
}
