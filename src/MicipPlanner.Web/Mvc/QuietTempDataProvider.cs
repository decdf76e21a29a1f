using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// TempData in a cookie, as MVC keeps it, except that a page which had no TempData cookie and leaves nothing for the
/// next one sends no cookie either. The layout reads the one-time status message on every page, and MVC's own
/// provider answers every such read with a header deleting a cookie the browser does not have: a wasted header on
/// every page.
/// </summary>
public sealed class QuietTempDataProvider(CookieTempDataProvider cookies, IOptions<CookieTempDataProviderOptions> options) : ITempDataProvider
{
    private readonly string _cookieName = options.Value.Cookie.Name ?? "";

    public IDictionary<string, object> LoadTempData(HttpContext context) => cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (values.Count == 0 && !context.Request.Cookies.ContainsKey(_cookieName)) return;
        cookies.SaveTempData(context, values);
    }
}
