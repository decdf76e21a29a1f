namespace MicipPlanner.BrowserTests.Support;

// xunit builds class fixtures from a type with one parameterless constructor, so each server configuration that a
// test class shares gets a name here. These only choose options; MicipApp builds the host. The default is MicipApp.

/// <summary>The app configured against the test OpenID Connect provider, both on loopback.</summary>
public sealed class OidcApp() : MicipApp(new() { OidcProvider = true })
{
    public const string ProviderName = OidcProviderName;
}
