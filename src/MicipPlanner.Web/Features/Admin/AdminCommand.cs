using System.Security.Cryptography;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace MicipPlanner.Web.Features.Admin;

/// <summary>
/// <c>--create-admin EMAIL</c>: creates the first administrator from the command line, so a district's IT
/// staff can install without the demo. The password comes from MICIP_ADMIN_PASSWORD or is generated and printed once.
/// </summary>
public static class AdminCommand
{
    public static async Task<int> CreateAdminAsync(IServiceProvider services, string? email, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@'))
        {
            await error.WriteLineAsync("Usage: --create-admin EMAIL   (password from MICIP_ADMIN_PASSWORD, or generated)");
            return 2;
        }
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            await error.WriteLineAsync($"An account for {email} already exists; nothing changed.");
            return 1;
        }
        var password = Environment.GetEnvironmentVariable("MICIP_ADMIN_PASSWORD");
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = GeneratePassword();

        var result = await CreateAsync(users, email.Trim(), "Administrator", password!);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync("The administrator could not be created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            return 1;
        }
        await output.WriteLineAsync($"Administrator {email} created.");
        if (generated) await output.WriteLineAsync($"Password (shown once, change it after signing in): {password}");
        return 0;
    }

    public static async Task<IdentityResult> CreateAsync(UserManager<AppUser> users, string email, string displayName, string password)
    {
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded) result = await users.AddToRoleAsync(user, AppRoles.Admin);
        return result;
    }

    private static string GeneratePassword()
    {
        // Upper, lower and digits guaranteed so the Identity password rules accept it.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var body = RandomNumberGenerator.GetString(alphabet, 14);
        return "Aa1" + body;
    }
}
