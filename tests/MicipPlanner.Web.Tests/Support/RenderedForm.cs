using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// A form as the page rendered it, submitted the way a browser submits it: hidden fields and current values,
/// checked boxes and radios only, the chosen option, nothing disabled, the pressed button's name. A test changes
/// only fields the form has, so it cannot post a field the page never sends and pass while the screen is broken.
/// </summary>
public sealed class RenderedForm
{
    private readonly IHtmlFormElement form;
    private readonly List<KeyValuePair<string, string>> values;
    private readonly IHtmlButtonElement? pressed;

    private RenderedForm(IHtmlFormElement form)
    {
        this.form = form;
        values = Controls().Where(IsSent).Select(c => KeyValuePair.Create(c.GetAttribute("name")!, CurrentValue(c))).ToList();
    }

    private RenderedForm(RenderedForm source, IHtmlButtonElement? pressed) : this(source.form) => this.pressed = pressed;

    private RenderedForm(RenderedForm source) : this(source.form)
    {
        pressed = source.pressed;
        values.Clear();
        values.AddRange(source.values);
    }

    /// <summary>A copy to change without changing this one.</summary>
    public RenderedForm Copy() => new(source: this);

    /// <summary>The names of the enabled one-line text fields a person types into (text, e-mail, search, phone, URL).</summary>
    public IReadOnlyList<string> OneLineTextFields() =>
        Controls().OfType<IHtmlInputElement>()
            .Where(i => i.Type is "text" or "email" or "search" or "tel" or "url" && !IsDisabled(i) && !i.IsReadOnly)
            .Select(i => i.GetAttribute("name")!).Distinct().ToList();

    public string Action => form.GetAttribute("action") ?? "";

    /// <summary>The form's method attribute ("post" or "get").</summary>
    public string Method => (form.GetAttribute("method") ?? "get").ToLowerInvariant();

    public IElement Element => form;

    /// <summary>The name/value pairs the browser would send now, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values =>
        pressed?.GetAttribute("name") is { Length: > 0 } name ? [.. values, KeyValuePair.Create(name, pressed.GetAttribute("value") ?? "")] : values;

    /// <summary>The one form of <paramref name="page"/> that posts to <paramref name="action"/> and has every field of
    /// <paramref name="fieldNames"/>; null when the page has none.</summary>
    public static RenderedForm? Find(IParentNode page, string action, IEnumerable<string> fieldNames) =>
        Find(page, action, fieldNames.ToDictionary(n => n, _ => ""));

    /// <summary>As <see cref="Find(IParentNode, string, IEnumerable{string})"/>; among several such forms (one per row, say),
    /// the one whose hidden fields already hold the given values.</summary>
    public static RenderedForm? Find(IParentNode page, string action, IReadOnlyDictionary<string, string> fields)
    {
        var names = fields.Keys.ToList();
        var candidates = page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .Where(f => SameAction(f.GetAttribute("action"), action) || SubmitButtons(f).Any(b => SameAction(b.GetAttribute("formaction"), action)))
            .Select(f => new RenderedForm(f)).ToList();
        var fitting = candidates.Where(f => names.All(f.Has))
            .OrderByDescending(f => fields.Count(field => f.HiddenValue(field.Key) == field.Value)).ToList();
        return fitting.FirstOrDefault() ?? candidates.FirstOrDefault();
    }

    /// <summary>Every form of the page that posts and that a person can submit (not every button disabled).</summary>
    public static IReadOnlyList<RenderedForm> PostFormsOf(IParentNode page) =>
        page.QuerySelectorAll("form").OfType<IHtmlFormElement>().Select(f => new RenderedForm(f))
            .Where(f => f.Method == "post" && f.CanBeSubmitted).ToList();

    /// <summary>A form can be submitted when it has an enabled submit button, or scripts submit it (no button at all).</summary>
    public bool CanBeSubmitted
    {
        get
        {
            var buttons = SubmitButtons(form).Cast<IElement>()
                .Concat(form.QuerySelectorAll("input[type=submit], input[type=image]")).ToList();
            // Without a button, only a script submits it, and only while a field a person can change is enabled.
            return buttons.Count == 0
                ? Controls().Any(c => !IsDisabled(c) && c is not IHtmlInputElement { Type: "hidden" })
                : buttons.Any(b => !IsDisabled(b));
        }
    }

    /// <summary>Disabled itself or inside a disabled fieldset (outside that fieldset's legend).</summary>
    private static bool IsDisabled(IElement element) =>
        element.HasAttribute("disabled") || element.Ancestors<IHtmlFieldSetElement>().Any(f => f.HasAttribute("disabled"));

    /// <summary>The same form submitted by each of its named submit buttons (or once, when none is named).</summary>
    public IReadOnlyList<RenderedForm> ByEachButton()
    {
        var named = SubmitButtons(form).Where(b => !string.IsNullOrEmpty(b.GetAttribute("name"))).ToList();
        return named.Count == 0 ? [this] : named.Select(b => new RenderedForm(this, b)).ToList();
    }

    private string? HiddenValue(string name) =>
        form.QuerySelectorAll("input[type=hidden]").FirstOrDefault(i => i.GetAttribute("name") == name)?.GetAttribute("value");

    public bool Has(string name) => Controls().Any(c => c.GetAttribute("name") == name)
        || SubmitButtons(form).Any(b => b.GetAttribute("name") == name);

    /// <summary>Sets a field as a user would: types into a text field, picks an option or radio, ticks or clears a box
    /// ("true"/"false"), presses a named button. Fails for a field the form does not have or a user cannot change.</summary>
    public RenderedForm Set(string name, string value)
    {
        var controls = Controls().Where(c => c.GetAttribute("name") == name).ToList();
        if (controls.Count == 0)
        {
            // A named submit button: pressing it sends its name and value.
            _ = SubmitButtons(form).FirstOrDefault(b => b.GetAttribute("name") == name)
                ?? throw new InvalidOperationException($"The form posting to {Action} has no field named '{name}'; a browser would not send it. "
                    + $"Its fields: {string.Join(", ", Controls().Select(c => c.GetAttribute("name")).Distinct())}.");
            values.RemoveAll(v => v.Key == name);
            values.Add(KeyValuePair.Create(name, value));
            return this;
        }
        if (controls.All(IsDisabled))
            throw new InvalidOperationException($"The field '{name}' of the form posting to {Action} is disabled: a user cannot change it and the browser does not send it.");
        var box = controls.OfType<IHtmlInputElement>().FirstOrDefault(c => c.Type is "checkbox" && c.GetAttribute("value") is null or "true");
        if (box is not null && value is "true" or "false")
        {
            // asp-for renders a box and a hidden "false" of the same name: ticking adds the box's value, clearing leaves the hidden one.
            var ticked = box.GetAttribute("value") ?? "on";
            values.RemoveAll(v => v.Key == name && v.Value == ticked);
            if (value == "true")
            {
                var first = values.FindIndex(v => v.Key == name);
                values.Insert(first >= 0 ? first : values.Count, KeyValuePair.Create(name, ticked));
            }
            return this;
        }
        var boxes = controls.OfType<IHtmlInputElement>().Where(c => c.Type is "checkbox").ToList();
        if (boxes.Count > 0 && boxes.Count == controls.Count && boxes.Any(b => b.GetAttribute("value") == value))
        {
            // A list of boxes with one name: ticks the one with this value.
            if (!values.Any(v => v.Key == name && v.Value == value)) values.Add(KeyValuePair.Create(name, value));
            return this;
        }
        var at2 = values.FindIndex(v => v.Key == name);
        values.RemoveAll(v => v.Key == name);
        values.Insert(at2 >= 0 ? at2 : values.Count, KeyValuePair.Create(name, value));
        return this;
    }

    /// <summary>Clears every ticked box named <paramref name="name"/> that has a value other than "true" (a list of boxes).</summary>
    public RenderedForm ClearAll(string name)
    {
        values.RemoveAll(v => v.Key == name && v.Value != "false");
        return this;
    }

    public FormUrlEncodedContent Content() => new(Values);

    private IEnumerable<IElement> Controls() =>
        form.QuerySelectorAll("input[name], select[name], textarea[name]").Concat(OwnedFromOutside()).Where(c => c is not IHtmlInputElement { Type: "submit" or "image" or "button" or "reset" });

    private IEnumerable<IElement> OwnedFromOutside() =>
        form.Id is { Length: > 0 } id ? form.Owner!.QuerySelectorAll($"[form='{id}'][name]") : [];

    private static IEnumerable<IHtmlButtonElement> SubmitButtons(IHtmlFormElement form) =>
        form.QuerySelectorAll("button").OfType<IHtmlButtonElement>().Where(b => (b.GetAttribute("type") ?? "submit") == "submit");

    private static bool IsSent(IElement control) => !IsDisabled(control) && control switch
    {
        IHtmlInputElement { Type: "checkbox" or "radio" } input => input.HasAttribute("checked"),
        IHtmlSelectElement select => select.QuerySelector("option") is not null,
        _ => true,
    };

    private static string CurrentValue(IElement control) => control switch
    {
        IHtmlSelectElement select => (select.QuerySelector("option[selected]") ?? select.QuerySelector("option"))!.GetAttribute("value")
            ?? (select.QuerySelector("option[selected]") ?? select.QuerySelector("option"))!.TextContent,
        IHtmlTextAreaElement area => area.TextContent.StartsWith('\n') ? area.TextContent[1..] : area.TextContent,
        IHtmlInputElement { Type: "checkbox" or "radio" } box => box.GetAttribute("value") ?? "on",
        _ => control.GetAttribute("value") ?? "",
    };

    private static bool SameAction(string? rendered, string wanted)
    {
        if (rendered is null) return false;
        var decoded = System.Net.WebUtility.HtmlDecode(rendered);
        return decoded == wanted || decoded.Split('?')[0] == wanted.Split('?')[0] && !wanted.Contains('?');
    }
}
