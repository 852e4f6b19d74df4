using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The bridge's server: Kestrel on its loopback port for whoever reaches the machine over HTTP, and, for the forwarder in
/// this same process, the bridge's application run directly on the forwarded request's own connection
/// (<see cref="ServeAsync"/>): one pipeline, without a second trip through a server, an HTTP client and the socket stack.
/// </summary>
internal sealed class BridgeServer(IServer kestrel) : IServer, IInProcessMachineEndpoint
{
    private Func<IFeatureCollection, Task>? _application;

    public IFeatureCollection Features => kestrel.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _application = features => RunAsync(application, features);
        return kestrel.StartAsync(application, cancellationToken);
    }

    public Task ServeAsync(HttpContext context) =>
        (_application ?? throw new InvalidOperationException("The bridge is not running."))(ConnectionFeatures.Of(context));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _application = null;
        return kestrel.StopAsync(cancellationToken);
    }

    public void Dispose() => kestrel.Dispose();

    /// <summary>Wraps the Kestrel server the builder registered; call after <c>UseKestrelCore</c>.</summary>
    public static void Register(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IServer));
        services.Remove(registered);
        var kestrelType = registered.ImplementationType ?? throw new InvalidOperationException("Kestrel is registered by type.");
        services.AddSingleton(kestrelType);
        services.AddSingleton(provider => new BridgeServer((IServer)provider.GetRequiredService(kestrelType)));
        services.AddSingleton<IServer>(provider => provider.GetRequiredService<BridgeServer>());
    }

    // What a server does with each request: the application makes its own HttpContext (its services, routing, items)
    // over the connection's features, runs its pipeline, and disposes the context.
    private static async Task RunAsync<TContext>(IHttpApplication<TContext> application, IFeatureCollection features)
        where TContext : notnull
    {
        var context = application.CreateContext(features);
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception exception)
        {
            application.DisposeContext(context, exception);
            throw;
        }

        application.DisposeContext(context, null);
    }
}
