using MicipPlanner.Infrastructure.Email;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Keeps the mail the app sends instead of handing it to an SMTP server; <see cref="Fail"/> makes sending fail.</summary>
public sealed class RecordingEmailSender : IEmailSender
{
    public List<(string To, string Subject, string Body)> Sent { get; } = [];
    public bool Fail { get; set; }
    public bool IsConfigured => true;

    public Task<bool> SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken = default)
    {
        if (Fail) return Task.FromResult(false);
        lock (Sent) Sent.Add((to, subject, textBody));
        return Task.FromResult(true);
    }
}
