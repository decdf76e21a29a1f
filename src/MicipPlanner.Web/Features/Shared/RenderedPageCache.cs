using System.Globalization;
using System.Security.Claims;
using System.Text;
using MicipPlanner.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Features.Shared;

/// <summary>
/// Keeps the rendered HTML of a district page for the next time the same person asks for the same address in the
/// same browser, as long as the district's data version is unchanged (ADR 8). A kept page is exactly what the page
/// would render again: everything it shows comes from the district's records (under the data version), the person's
/// permissions in the district and their sign-in (both in the key), the address, and the district's date (in the key).
/// Its forms carry the person's request token, which stays valid for as long as the browser keeps its antiforgery
/// cookie (in the key too). Bounded by size: the least recently used pages go first.
/// </summary>
public sealed class RenderedPageCache : IDisposable
{
    private readonly MemoryCache? _cache;
    private readonly string _antiforgeryCookie;
    private readonly string _tempDataCookie;

    public RenderedPageCache(IOptions<PageCacheOptions> options, IOptions<AntiforgeryOptions> antiforgery,
        IOptions<CookieTempDataProviderOptions> tempData)
    {
        var settings = options.Value;
        if (settings.Enabled && settings.RenderedPageMegabytes > 0)
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.RenderedPageMegabytes * 1024L * 1024L, CompactionPercentage = 0.25 });
        _antiforgeryCookie = antiforgery.Value.Cookie.Name ?? "";
        _tempDataCookie = tempData.Value.Cookie.Name ?? "";
    }

    public sealed record KeptPage(byte[] Body, string? ContentType, string? CacheControl, string? Pragma);

    private static readonly TimeSpan SlidingExpiration = TimeSpan.FromMinutes(10);

    internal bool Enabled => _cache is not null;

    /// <summary>
    /// Who is asking, as far as a rendered page can depend on it, or null when the page must be rendered and not kept:
    /// no antiforgery cookie yet (the page will set one), or a one-time status message waiting in the TempData cookie.
    /// </summary>
    internal string? ViewerOf(HttpContext http)
    {
        var cookies = http.Request.Cookies;
        if (cookies.ContainsKey(_tempDataCookie) || !cookies.TryGetValue(_antiforgeryCookie, out var antiforgeryToken)) return null;
        var user = http.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return null;
        return string.Join('\u001f', userId, user.Identity?.Name, user.IsInRole(MicipPlanner.Infrastructure.Identity.AppRoles.Admin) ? "admin" : "",
            user.FindFirstValue("AspNet.Identity.SecurityStamp"), antiforgeryToken);
    }

    internal static string KeyOf(string viewer, HttpContext http, DistrictFacts facts)
    {
        var actor = facts.Permissions.Actor;
        var today = TimeZones.DateIn(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), TimeZones.Find(facts.TimeZoneId));
        var key = new StringBuilder(viewer.Length + 160)
            .Append(viewer).Append('\u001e')
            .Append(http.Request.Path.Value).Append(http.Request.QueryString.Value).Append('\u001e')
            .Append(facts.DataVersion.ToString(CultureInfo.InvariantCulture)).Append('\u001e')
            .Append(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\u001e')
            .Append(actor.IsAdmin).Append(actor.IsAssignedFacilitator).Append(actor.DistrictTeamRole);
        foreach (var building in actor.BuildingIds.Order()) key.Append(',').Append(building);
        return key.ToString();
    }

    internal KeptPage? Find(string key) => _cache is not null && _cache.TryGetValue(key, out KeptPage? page) ? page : null;

    internal void Keep(string key, KeptPage page) =>
        _cache?.Set(key, page, new MemoryCacheEntryOptions { Size = page.Body.Length + key.Length * 2L, SlidingExpiration = SlidingExpiration });

    public void Dispose() => _cache?.Dispose();
}

/// <summary>
/// On a district page's GET action: checks the person's access first (the page then reuses that check), answers with
/// the page kept in <see cref="RenderedPageCache"/> when there is one, and otherwise keeps what the action renders.
/// Routes need <c>{districtId}</c> and may have <c>{cycleId}</c>. Only for pages whose output depends on nothing but
/// the district's records, the person, the address and the date: no per-request randomness, no clock beyond the date.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KeepRenderedPageAttribute : Attribute, IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        var pages = http.RequestServices.GetRequiredService<RenderedPageCache>();
        var viewer = pages.Enabled && HttpMethods.IsGet(http.Request.Method) ? pages.ViewerOf(http) : null;
        if (viewer is null || RouteInt(context, "districtId") is not { } districtId)
        {
            await next();
            return;
        }
        var access = http.RequestServices.GetRequiredService<DistrictAccessService>();
        var facts = await access.LoadAsync(districtId, RouteInt(context, "cycleId"), http.RequestAborted);
        if (facts is null)
        {
            await next(); // the page answers 404 from the same (remembered) check
            return;
        }

        var key = RenderedPageCache.KeyOf(viewer, http, facts);
        var response = http.Response;
        if (pages.Find(key) is { } kept)
        {
            context.Result = new KeptPageResult(kept);
            return;
        }

        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        ResourceExecutedContext executed;
        try
        {
            executed = await next();
        }
        finally
        {
            response.Body = original;
        }
        if (executed.Exception is not null && !executed.ExceptionHandled) return; // the error page replaces it

        var body = buffer.ToArray();
        if (response.StatusCode == StatusCodes.Status200OK && !response.Headers.ContainsKey("Set-Cookie")
            && response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
        {
            pages.Keep(key, new RenderedPageCache.KeptPage(body, response.ContentType, HeaderOrNull(response.Headers.CacheControl), HeaderOrNull(response.Headers.Pragma)));
            response.ContentLength = body.Length;
        }
        if (body.Length > 0) await original.WriteAsync(body, http.RequestAborted);
    }

    private static string? HeaderOrNull(Microsoft.Extensions.Primitives.StringValues value) => value.Count > 0 ? value.ToString() : null;

    private static int? RouteInt(ResourceExecutingContext context, string name) =>
        context.RouteData.Values.TryGetValue(name, out var value) && int.TryParse(value as string, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id : null;

    private sealed class KeptPageResult(RenderedPageCache.KeptPage page) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.ContentType = page.ContentType;
            response.ContentLength = page.Body.Length;
            if (page.CacheControl is { } cacheControl) response.Headers.CacheControl = cacheControl;
            if (page.Pragma is { } pragma) response.Headers.Pragma = pragma;
            return response.Body.WriteAsync(page.Body, context.HttpContext.RequestAborted).AsTask();
        }
    }
}
