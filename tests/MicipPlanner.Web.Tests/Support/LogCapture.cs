using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Keeps every log entry the app writes, fully rendered (message, every structured value, scopes, exception).</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public void Dispose() { }

    /// <summary>Everything logged, as one text to search.</summary>
    public string AllText() => string.Join("\n", Entries.Select(e => e.Text));

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) text.Append($" | {key}={value}");
            owner._scopes.ForEachScope((scope, sb) =>
            {
                sb.Append(" | scope ").Append(scope);
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) sb.Append($" {key}={value}");
            }, text);
            if (exception is not null) text.Append(" | ").Append(exception);
            owner.Entries.Enqueue(new CapturedLog(logLevel, category, text.ToString()));
        }
    }
}

public sealed record CapturedLog(LogLevel Level, string Category, string Text);
