using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Web.Features.Digest;

/// <summary>Configuration section "Digest": the daily reminder digest (ADR 022).</summary>
public sealed class DigestOptions
{
    public const string Section = "Digest";

    /// <summary>Off: this instance never sends digests (others on the same database still may).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The hour of each district's own day (0–23, its time zone) from which its digests go out.</summary>
    public int Hour { get; set; } = DigestRules.DefaultSendHour;

    /// <summary>How often an instance looks for digests to send; failed ones are retried on a later look.</summary>
    public int CheckEveryMinutes { get; set; } = 15;
}

public static class DigestSetup
{
    public static IServiceCollection AddDigest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DigestOptions>().Bind(configuration.GetSection(DigestOptions.Section))
            .Validate(o => o.Hour is >= 0 and <= 23, "Digest:Hour must be an hour of the day, 0 to 23.")
            .Validate(o => o.CheckEveryMinutes >= 1, "Digest:CheckEveryMinutes must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<IDigestItemSource, ActivityDigestSource>();
        services.AddSingleton<IDigestItemSource, BuildingReportDigestSource>();
        services.AddScoped<DigestRun>();
        services.AddHostedService<DigestService>();
        return services;
    }
}
