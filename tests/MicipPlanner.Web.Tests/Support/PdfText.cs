using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Reads PDFs back for assertions: text without whitespace (line breaks fall anywhere), tags, page sizes.</summary>
public sealed class PdfText : IDisposable
{
    public PdfDocument Document { get; }
    public IReadOnlyList<string> Pages { get; }
    public string All { get; }

    public PdfText(byte[] pdf)
    {
        Document = PdfDocument.Open(pdf);
        Pages = Document.GetPages().Select(p => Squeeze(string.Concat(p.Letters.Select(l => l.Value)))).ToList();
        All = string.Concat(Pages);
    }

    /// <summary>Text with all whitespace removed, so wrapped lines and table cells compare reliably.</summary>
    public static string Squeeze(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text) if (!char.IsWhiteSpace(ch)) sb.Append(ch);
        return sb.ToString();
    }

    public bool IsTagged
    {
        get
        {
            var catalog = Document.Structure.Catalog.CatalogDictionary;
            var marked = catalog.TryGet(NameToken.MarkInfo, Document.Structure.TokenScanner, out DictionaryToken? markInfo)
                && markInfo!.TryGet(NameToken.Marked, out BooleanToken isMarked) && isMarked.Data;
            return marked && catalog.ContainsKey(NameToken.StructTreeRoot);
        }
    }

    /// <summary>Asserts the texts occur in this order (each after the previous one).</summary>
    public void AssertInOrder(IEnumerable<string> texts)
    {
        var at = 0;
        foreach (var text in texts)
        {
            var needle = Squeeze(text);
            var found = All.IndexOf(needle, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"Not found (in order) in the PDF: “{text}”");
            at = found + needle.Length;
        }
    }

    public void Dispose() => Document.Dispose();
}
