using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The bridge's pipeline run on the forwarder's own request: a context of the bridge's (its services, routing and items)
/// over the connection's features (<see cref="ConnectionFeatures"/>), so the bridge reads the client's request body and
/// writes the client's response as it would over its own Kestrel, without a second server, HTTP client or socket. The
/// forwarder's request already carries the host's span and metrics, so this hop adds none of its own.
/// </summary>
internal sealed class InProcessBridge(RequestDelegate pipeline, IServiceScopeFactory services) : IInProcessMachineEndpoint
{
    public Task ServeAsync(HttpContext context) =>
        pipeline(new DefaultHttpContext(new ConnectionFeatures(context.Features)) { ServiceScopeFactory = services });
}
