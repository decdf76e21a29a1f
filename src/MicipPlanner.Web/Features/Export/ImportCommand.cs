using MicipPlanner.Infrastructure.Data.Backup;

namespace MicipPlanner.Web.Features.Export;

/// <summary>--import-district FILE: restores a district export into this app's database, then exits.</summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider scoped, string? path, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            await error.WriteLineAsync("Usage: --import-district FILE (a district export downloaded from /districts/{id}/export.json).");
            return 2;
        }
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"The file {path} does not exist.");
            return 2;
        }
        try
        {
            await using var file = File.OpenRead(path);
            var result = await scoped.GetRequiredService<DistrictArchive>().ImportAsync(file);
            await output.WriteLineAsync($"Imported {result.DistrictName} as district {result.DistrictId}: "
                + string.Join(", ", result.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key}"))
                + $"; {result.UsersCreated} account(s) created, {result.UsersMatched} matched by e-mail.");
            if (result.UsersCreated > 0)
                await output.WriteLineAsync("Created accounts have no password yet: invite them again or have them reset their password.");
            return 0;
        }
        catch (ImportException ex)
        {
            await error.WriteLineAsync($"Nothing was imported: {ex.Message}");
            return 1;
        }
    }
}
