using System.Net;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace MicipPlanner.Web.Tests.DataSafety;

/// <summary>
/// Many browser sessions from few sign-ins: each session is its own HttpClient with its own cookie jar
/// (and so its own antiforgery cookie), carrying a copy of one person's sign-in cookie.
/// </summary>
internal static class Sessions
{
    public static async Task<CookieContainer> SignInJarAsync(MicipWebFactory factory, string email)
    {
        var jar = new CookieContainer();
        using var client = factory.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(jar));
        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
        return jar;
    }

    public static HttpClient NewSession(MicipWebFactory factory, CookieContainer signedIn)
    {
        var jar = new CookieContainer();
        foreach (Cookie cookie in signedIn.GetAllCookies())
        {
            // The sign-in cookie travels; each session gets its own antiforgery cookie.
            if (!cookie.Name.Contains("af", StringComparison.OrdinalIgnoreCase) && !cookie.Name.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase))
                jar.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }
        return factory.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(jar));
    }
}
