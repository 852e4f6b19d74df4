using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The bridge's server: Kestrel on its loopback port for whoever reaches the machine over HTTP, and ASP.NET Core's
/// in-memory server for the forwarder in this same process, so a forwarded call runs the bridge's one pipeline without
/// a second trip through Kestrel, the socket stack and an HTTP client. Both serve the same application.
/// </summary>
internal sealed class BridgeServer(IServer kestrel, TestServer inProcess) : IServer
{
    public IFeatureCollection Features => kestrel.Features;

    /// <summary>Sends requests straight into the bridge's pipeline (responses stream as they are written).</summary>
    public HttpMessageInvoker CreateInProcessChannel() => new(inProcess.CreateHandler(), disposeHandler: true);

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        await ((IServer)inProcess).StartAsync(application, cancellationToken);
        await kestrel.StartAsync(application, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await kestrel.StopAsync(cancellationToken);
        await ((IServer)inProcess).StopAsync(cancellationToken);
    }

    public void Dispose()
    {
        kestrel.Dispose();
        inProcess.Dispose();
    }

    /// <summary>Wraps the Kestrel server the builder registered; call after <c>UseKestrelCore</c>.</summary>
    public static void Register(IServiceCollection services)
    {
        var kestrel = services.Last(d => d.ServiceType == typeof(IServer));
        services.Remove(kestrel);
        var kestrelType = kestrel.ImplementationType ?? throw new InvalidOperationException("Kestrel is registered by type.");
        services.AddSingleton(kestrelType);
        services.AddSingleton(provider => new BridgeServer((IServer)provider.GetRequiredService(kestrelType), new TestServer(provider)));
        services.AddSingleton<IServer>(provider => provider.GetRequiredService<BridgeServer>());
    }
}
