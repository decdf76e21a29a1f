using FluentValidation;

namespace MicipPlanner.Web.Mvc;

/// <summary>The text rule every free-text field of a form shares, as one FluentValidation extension.</summary>
public static class TextRules
{
    public const string ControlCharactersMessage = "Remove the control characters.";

    /// <summary>A one-line field (an &lt;input&gt;) with a line break, tab or other control character in it.</summary>
    public const string SingleLineMessage = "Keep this on one line: remove the line breaks, tabs and control characters.";

    /// <summary>
    /// Text as it is stored: at most <paramref name="max"/> characters once trimmed, and no control characters other
    /// than tabs and line breaks. Put it after <c>Cascade(CascadeMode.Stop)</c> so one message shows at a time.
    /// </summary>
    /// <param name="tooLong">The message for text over the limit; by default "Use at most N characters."</param>
    /// <param name="controlCharacters">The message for control characters, when the field wants to be named.</param>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule, int max,
        string? tooLong = null, string controlCharacters = ControlCharactersMessage) =>
        rule.MaxTrimmedLength(max).WithMessage(tooLong ?? DefaultTooLong(max))
            .NoControlCharacters().WithMessage(controlCharacters);

    /// <inheritdoc cref="PlainText{T}(IRuleBuilder{T, string?}, int, string?, string)"/>
    /// <param name="tooLong">The message for text over the limit, from the form (to say how long the text is).</param>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule, int max,
        Func<T, string> tooLong, string controlCharacters = ControlCharactersMessage) =>
        rule.MaxTrimmedLength(max).WithMessage(tooLong)
            .NoControlCharacters().WithMessage(controlCharacters);

    /// <summary>
    /// The stored-text rule for one-line fields (names, titles, codes typed into an &lt;input&gt;): as
    /// <see cref="PlainText{T}(IRuleBuilder{T, string?}, int, string?, string)"/>, and no line breaks or tabs either. A
    /// browser's input cannot hold a line break, so one posted would render as an invalid value and be lost on the next
    /// save; it is refused rather than silently changed.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> SingleLineText<T>(this IRuleBuilder<T, string?> rule, int max, string? tooLong = null) =>
        rule.MaxTrimmedLength(max).WithMessage(tooLong ?? DefaultTooLong(max))
            .Must(FormText.IsSingleLine).WithMessage(SingleLineMessage);

    /// <summary>At most <paramref name="max"/> characters once trimmed (missing text counts as empty).</summary>
    public static IRuleBuilderOptions<T, string?> MaxTrimmedLength<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.Must(v => FormText.Length(v) <= max);

    /// <summary>No control characters other than tabs and line breaks.</summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(FormText.HasNoControlCharacters).WithMessage(ControlCharactersMessage);

    private static string DefaultTooLong(int max) => $"Use at most {max:N0} characters.";
}
