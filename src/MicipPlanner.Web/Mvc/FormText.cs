namespace MicipPlanner.Web.Mvc;

/// <summary>Small text checks and clean-up shared by the forms (the rules themselves are in <see cref="TextRules"/>).</summary>
public static class FormText
{
    public static bool HasText(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>Tabs and line breaks are fine in long text; other control characters (NUL …) are not.</summary>
    public static bool HasNoControlCharacters(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'));

    /// <summary>No control characters at all, line breaks and tabs included: what a one-line field may hold.</summary>
    public static bool IsSingleLine(string? value) => value is null || !value.Any(char.IsControl);

    /// <summary>Trimmed length: what is stored, so what the limits count.</summary>
    public static int Length(string? value) => (value ?? "").Trim().Length;

    public static string Clean(string? value) => (value ?? "").Trim();
}
