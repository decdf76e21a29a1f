namespace MicipPlanner.Web.Infrastructure;

/// <summary>Small text checks shared by the form validators.</summary>
public static class FormText
{
    public static bool HasText(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>Tabs and line breaks are fine in long text; other control characters (NUL …) are not.</summary>
    public static bool HasNoControlCharacters(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'));

    public static string Clean(string? value) => (value ?? "").Trim();
}
