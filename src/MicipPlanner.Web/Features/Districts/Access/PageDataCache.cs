using Microsoft.Extensions.Caching.Memory;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>Settings under <c>PageCache</c> in configuration.</summary>
public sealed class PageCacheOptions
{
    public const string Section = "PageCache";

    /// <summary>Off: every page reads its data from the database on every request.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most page data sets kept at once (one per district, cycle and page, and per group or building where a page has one).</summary>
    public int MaxEntries { get; set; } = 5000;
}

/// <summary>
/// Keeps the data a district page read from the database, for the next request of the same page, as long as the
/// district's data version is unchanged. The version is read fresh with the permission check of every request and is
/// raised in the same transaction as every change to the district's records (<c>AppDbContext.DataVersion</c>), so a
/// page never shows data older than what the database held when the request began, on any number of web servers.
/// Only data that is the same for everyone allowed to see the page is kept: permissions, the person's own group and
/// anything that depends on the time are worked out per request; <c>PageDataKeyTests</c> fails for a page whose kept
/// data depends on the person or the clock. Entries live in the framework's <see cref="MemoryCache"/>; only the version
/// check is this class's own, because the version lives in the database (ADR 7, ADR 15).
/// </summary>
public sealed class PageDataCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public PageDataCache(Microsoft.Extensions.Options.IOptions<PageCacheOptions> options)
    {
        var settings = options.Value;
        if (settings.Enabled && settings.MaxEntries > 0)
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.MaxEntries, CompactionPercentage = 0.25 });
    }

    private sealed record Key(Type Data, int DistrictId, string Page);

    private sealed record Entry(long Version, object Data);

    private static readonly MemoryCacheEntryOptions EntryOptions = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(20) };

    /// <summary>
    /// The data of <paramref name="page"/> (name and arguments, e.g. <c>rubric:12:group=40</c>) of the district, loaded with
    /// <paramref name="load"/> when nothing is kept for the district's current version. Use it on GET requests only: after a
    /// write in the same request the version in <paramref name="district"/> is already behind.
    /// </summary>
    public async Task<T> GetAsync<T>(DistrictContext district, string page, Func<Task<T>> load) where T : class
    {
        if (_cache is null) return await load();
        var key = new Key(typeof(T), district.DistrictId, page);
        if (_cache.TryGetValue(key, out Entry? kept) && kept!.Version == district.DataVersion) return (T)kept.Data;
        var data = await load();
        // Two requests may load at once; both store the same data, and an older version never replaces a newer one.
        if (!_cache.TryGetValue(key, out Entry? current) || current!.Version <= district.DataVersion)
            _cache.Set(key, new Entry(district.DataVersion, data), EntryOptions);
        return data;
    }

    private sealed record SharedKey(Type Data, string Page);

    private sealed record SharedEntry(string Version, object Data);

    /// <summary>
    /// Data of a page that reads many districts at once (e.g. a network's benchmarks), kept while <paramref name="version"/>
    /// is unchanged. The caller reads the version fresh from the database on every request and makes it change whenever
    /// the data can; this keeps nothing for a request the caller did not describe.
    /// </summary>
    public async Task<T> GetSharedAsync<T>(string page, string version, Func<Task<T>> load) where T : class
    {
        if (_cache is null) return await load();
        var key = new SharedKey(typeof(T), page);
        if (_cache.TryGetValue(key, out SharedEntry? kept) && kept!.Version == version) return (T)kept.Data;
        var data = await load();
        _cache.Set(key, new SharedEntry(version, data), EntryOptions);
        return data;
    }

    /// <summary>A short fingerprint of a list of numbers (ids or data versions), for keys and versions of shared data.</summary>
    public static string Fingerprint(IEnumerable<long> values)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.ToArray().AsSpan());
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    public void Dispose() => _cache?.Dispose();
}
