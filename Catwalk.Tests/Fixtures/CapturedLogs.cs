using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catwalk.Tests.Fixtures;

/// <summary>
/// A logger provider that keeps every formatted log line (with its exception text) of the app, so tests can search
/// them for secrets. Its level comes from <c>Logging:Captured:LogLevel</c> (Debug by <see cref="AddTo"/>), without
/// changing what the console shows.
/// </summary>
[ProviderAlias("Captured")]
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Registers this provider in <paramref name="app"/> and captures from Debug up.</summary>
    public CapturedLogs AddTo(CatwalkAppFactory app)
    {
        app.Settings["Logging:Captured:LogLevel:Default"] = "Debug";
        var previous = app.ExtraServices;
        app.ExtraServices = services =>
        {
            previous?.Invoke(services);
            services.AddSingleton<ILoggerProvider>(this);
        };
        return this;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(" ", values.Select(v => $"{v.Key}={v.Value}"))
                : "";
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{structured}] {exception}");
        }
    }
}
