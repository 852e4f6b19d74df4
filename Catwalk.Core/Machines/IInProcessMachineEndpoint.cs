using Microsoft.AspNetCore.Http;

namespace Catwalk.Core.Machines;

/// <summary>
/// A machine served by this same process. The forwarder hands it the client's own request, already addressed to the
/// machine (its host, <c>/mcp</c>, Catwalk's credential removed, the required headers added), and the machine answers
/// on the client's own response: nothing is copied through a second server, an HTTP client or the socket stack.
/// </summary>
public interface IInProcessMachineEndpoint
{
    Task ServeAsync(HttpContext context);
}
