using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>One routable endpoint of the app with one HTTP method ("ANY" when it accepts every method).</summary>
public sealed record AppEndpoint(string Method, string Template)
{
    /// <summary>How the security tables name it: "GET /districts/{districtId:int}/organisation".</summary>
    public string Key => $"{Method} {Template}";

    public bool IsUnsafe => Method is "POST" or "PUT" or "PATCH" or "DELETE" or "ANY";

    /// <summary>The method used to call it ("ANY" is called with GET).</summary>
    public HttpMethod HttpMethod => Method == "ANY" ? HttpMethod.Get : new HttpMethod(Method);
}

/// <summary>
/// Every endpoint the running app answers, read from its <see cref="EndpointDataSource"/>: a new controller
/// action (or minimal endpoint) appears here without anyone listing it, so the security tests see it.
/// </summary>
public static partial class EndpointCatalog
{
    public static IReadOnlyList<AppEndpoint> All(MicipWebFactory factory)
    {
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        var result = new List<AppEndpoint>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ISuppressMatchingMetadata>()?.SuppressMatching == true) continue;
            // Files under wwwroot (MapStaticAssets) are public by design, answered before sign-in; StaticAssetsTests covers them.
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null) continue;
            var template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is null || methods.Count == 0) result.Add(new AppEndpoint("ANY", template));
            else result.AddRange(methods.Select(m => new AppEndpoint(m.ToUpperInvariant(), template)));
        }
        return result.Distinct().OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal).ToList();
    }

    /// <summary>Names of the route parameters in a template, e.g. districtId, cycleId.</summary>
    public static IReadOnlyList<string> Parameters(string template) =>
        ParameterPattern().Matches(template).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The template with every parameter replaced; throws naming the parameter when no value is known.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        ParameterPattern().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? Uri.EscapeDataString(value)
            : throw new KeyNotFoundException($"No test value for route parameter '{m.Groups[1].Value}' in {template}: add one to the route values of the security tests."));

    [GeneratedRegex(@"\{\**([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex ParameterPattern();
}
