using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// Reads a page as the browser would, for assertions where structure matters (this field is in that form, this row
/// has these cells, this link goes there). "The page says X" stays a plain text check.
/// </summary>
public static class Html
{
    private static readonly HtmlParser Parser = new();

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>The one element matching <paramref name="selector"/>; fails the test when there is none or several.</summary>
    public static IElement Single(this IParentNode node, string selector)
    {
        var found = node.QuerySelectorAll(selector);
        Assert.True(found.Length == 1, $"Expected one element matching '{selector}', found {found.Length}.");
        return found[0];
    }

    /// <summary>Text as a reader sees it: runs of white space collapsed, trimmed.</summary>
    public static string Text(this INode node) => string.Join(' ', node.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Where the page's links go, in page order.</summary>
    public static IReadOnlyList<string> Hrefs(this IParentNode node) =>
        node.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();

    /// <summary>The forms that post to <paramref name="action"/>.</summary>
    public static IReadOnlyList<IHtmlFormElement> Forms(this IParentNode node, string action) =>
        node.QuerySelectorAll("form").OfType<IHtmlFormElement>().Where(f => f.GetAttribute("action") == action).ToList();

    /// <summary>The one form that posts to <paramref name="action"/>.</summary>
    public static IHtmlFormElement Form(this IParentNode node, string action)
    {
        var forms = node.Forms(action);
        Assert.True(forms.Count == 1, $"Expected one form posting to {action}, found {forms.Count}.");
        return forms[0];
    }

    /// <summary>The named fields a form would send as the page stands (inputs, selected options, text areas), in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Fields(this IElement form) =>
        form.QuerySelectorAll("input[name], select[name], textarea[name]").Select(field => KeyValuePair.Create(field.GetAttribute("name")!, field switch
        {
            IHtmlSelectElement select => select.QuerySelector("option[selected]")?.GetAttribute("value") ?? select.QuerySelector("option")?.GetAttribute("value") ?? "",
            IHtmlTextAreaElement area => area.TextContent,
            _ => field.GetAttribute("value") ?? "",
        })).ToList();

    /// <summary>The value of the form's field <paramref name="name"/>; fails the test when the form has no such field.</summary>
    public static string Field(this IElement form, string name)
    {
        var values = form.Fields().Where(f => f.Key == name).Select(f => f.Value).ToList();
        Assert.True(values.Count == 1, $"Expected one field named {name} in the form, found {values.Count}.");
        return values[0];
    }

    /// <summary>The table row whose row header (<c>th scope="row"</c>) reads <paramref name="header"/>.</summary>
    public static IElement Row(this IParentNode node, string header)
    {
        var rows = node.QuerySelectorAll("tr").Where(tr => tr.QuerySelector("th[scope=row]") is { } th && th.Text() == header).ToList();
        Assert.True(rows.Count == 1, $"Expected one table row headed '{header}', found {rows.Count}.");
        return rows[0];
    }

    /// <summary>The texts of a row's cells (header and data), in order.</summary>
    public static IReadOnlyList<string> Cells(this IElement row) =>
        row.Children.Where(c => c.LocalName is "th" or "td").Select(c => c.Text()).ToList();
}
