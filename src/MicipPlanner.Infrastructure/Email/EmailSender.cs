using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MicipPlanner.Infrastructure.Email;

/// <summary>Configuration section "Smtp". E-mail is sent only when Host is set.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool UseStartTls { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "micip-planner@localhost";
    public string FromName { get; set; } = "MICIP Planner";
}

public interface IEmailSender
{
    /// <summary>True when mail can go out; otherwise callers show links to the person instead.</summary>
    bool IsConfigured { get; }

    /// <summary>Sends a message; returns false (and logs why) when it could not be sent.</summary>
    Task<bool> SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken = default);
}

public sealed class SmtpEmailSender(IOptions<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    private readonly SmtpOptions _options = options.Value;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(_options.Host);

    public async Task<bool> SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken = default)
    {
        if (!IsConfigured) return false;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(_options.FromName, _options.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = textBody };
        try
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(_options.Host!, _options.Port,
                _options.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(_options.UserName))
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The subject only: bodies carry invitation links, which are secrets.
            logger.LogWarning(ex, "E-mail '{Subject}' could not be sent over SMTP", subject);
            return false;
        }
    }
}

public static class EmailSetup
{
    public static IServiceCollection AddMicipEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SmtpOptions>(configuration.GetSection(SmtpOptions.Section));
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return services;
    }
}
