namespace MicipPlanner.TestIdentityProvider;

/// <summary>
/// Runs the test provider for the demo: <c>--port 5090 --redirect-uri http://127.0.0.1:5080/signin-oidc</c>
/// (and <c>--client-id</c>, <c>--client-secret</c>). Stops with Ctrl+C.
/// </summary>
public static class ProviderProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = new TestIdentityProviderOptions { Port = 5090, MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--port": options.Port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--redirect-uri": options.RedirectUris.Add(args[i + 1]); break;
                case "--client-id": options.ClientId = args[i + 1]; break;
                case "--client-secret": options.ClientSecret = args[i + 1]; break;
                default:
                    Console.Error.WriteLine($"Unknown option {args[i]}. Options: --port, --redirect-uri, --client-id, --client-secret");
                    return 2;
            }
        }
        if (options.RedirectUris.Count == 0) options.RedirectUris.Add("http://127.0.0.1:5080/signin-oidc");
        options.Identities.AddRange(TestIdentityProvider.DemoIdentities);
        await using var provider = await TestIdentityProvider.StartAsync(options);
        Console.WriteLine($"Test identity provider at {provider.Issuer} (client id {provider.ClientId}); people, all with the password {TestIdentityProvider.DemoPassword}:");
        foreach (var person in TestIdentityProvider.DemoIdentities)
            Console.WriteLine($"  {person.Username,-26} e-mail {(person.EmailVerified ? "verified" : "NOT verified")}, multi-factor {(person.MultiFactor ? "yes" : "no")}");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
        return 0;
    }
}
