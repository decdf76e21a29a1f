using System.Globalization;
using System.Text;

namespace MicipPlanner.Web.Printing;

/// <summary>
/// The print style sheet (wwwroot/css/print.css), read once, that every printed document inlines, and the escaping
/// its per-document page rules (footers, headers) need.
/// </summary>
public sealed class PrintStyles(IWebHostEnvironment environment)
{
    private string? _css;

    public string BaseCss => _css ??= Read();

    private string Read()
    {
        var file = environment.WebRootFileProvider.GetFileInfo("css/print.css");
        if (!file.Exists) throw new FileNotFoundException("The print style sheet css/print.css is missing from wwwroot.");
        using var reader = new StreamReader(file.CreateReadStream());
        return reader.ReadToEnd();
    }

    /// <summary>A CSS string literal: quotes, backslashes, line breaks and '&lt;' escaped so user text cannot end the rule or the style element.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in text)
        {
            if (ch is '"' or '\\' or '<' or '>' or '&' || char.IsControl(ch))
                sb.Append(CultureInfo.InvariantCulture, $"\\{(int)ch:x} ");
            else sb.Append(ch);
        }
        return sb.Append('"').ToString();
    }
}
