using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The app's logger factory as a bridge's own small host sees it, minus that host's lifetime lines ("Now listening on",
/// "Application started. Press Ctrl+C to shut down.", "Hosting environment: Production"): in the app's log they read as
/// the app's own. The runtime logs each machine's start and address itself.
/// </summary>
internal sealed class BridgeLoggerFactory(ILoggerFactory appLoggers) : ILoggerFactory
{
    private const string HostLifetimeCategory = "Microsoft.Hosting.Lifetime";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == HostLifetimeCategory ? NullLogger.Instance : appLoggers.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => appLoggers.AddProvider(provider);

    /// <summary>The app's factory is the app's to dispose, not a bridge's.</summary>
    public void Dispose()
    {
    }
}
