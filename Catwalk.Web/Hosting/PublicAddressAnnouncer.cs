using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Catwalk.Web.Hosting;

/// <summary>Once the server listens: settles <see cref="PublicAddress"/> in Development without PUBLIC_URL, and logs
/// the URL the app uses either way.</summary>
internal sealed partial class PublicAddressAnnouncer(
    PublicAddress publicAddress, IServer server, IHostEnvironment environment, ILogger<PublicAddressAnnouncer> logger)
    : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (publicAddress.Configured is { } configured)
        {
            LogPublicUrl(logger, configured.AbsoluteUri, "PUBLIC_URL");
            return Task.CompletedTask;
        }

        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (environment.IsDevelopment() && first is not null && Uri.TryCreate(Browsable(first), UriKind.Absolute, out var listening))
        {
            publicAddress.UseListeningAddress(listening);
            LogPublicUrl(logger, listening.AbsoluteUri, "the first address the app listens on; set PUBLIC_URL to change it");
        }
        else
        {
            LogPerRequest(logger);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A wildcard listener (0.0.0.0, [::], +, *) is reached as localhost from this machine.</summary>
    private static string Browsable(string address)
    {
        foreach (var wildcard in new[] { "://0.0.0.0", "://[::]", "://+", "://*" })
        {
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return address;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Public URL: {PublicUrl} (from {Source})")]
    private static partial void LogPublicUrl(ILogger logger, string publicUrl, string source);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "PUBLIC_URL is not set: endpoint URLs use the address each request arrived at (set PUBLIC_URL to the app's public address)")]
    private static partial void LogPerRequest(ILogger logger);
}
