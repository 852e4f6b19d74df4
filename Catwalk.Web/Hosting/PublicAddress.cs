using Catwalk.Web.Mcp;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Hosting;

/// <summary>
/// The address MCP clients and browsers reach this app at, for endpoint URLs and snippets: <c>PUBLIC_URL</c> when set;
/// in Development without it, the first address the app listens on (so a run on another port than 5050 shows that
/// port); elsewhere none, and each request's own address is used (a proxy in front knows better than the listener).
/// </summary>
public sealed class PublicAddress
{
    private Uri? _listening;

    internal PublicAddress(Uri? configured) => Configured = configured;

    /// <summary>PUBLIC_URL, when set.</summary>
    public Uri? Configured { get; }

    /// <summary>The resolved address, or null to use the caller's.</summary>
    public Uri? Current => Configured ?? _listening;

    /// <summary>The base URL (ending in /) for a request that arrived at <paramref name="requestBase"/>.</summary>
    public Uri BaseFor(string requestBase)
    {
        var text = (Current ?? new Uri(requestBase)).AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    internal void UseListeningAddress(Uri address) => _listening = address;

    /// <summary>The address (PUBLIC_URL is read by the forwarding options) and the start-up line that says which it is.</summary>
    internal static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => new PublicAddress(sp.GetRequiredService<IOptions<McpForwardingOptions>>().Value.PublicUrl));
        services.AddHostedService<PublicAddressAnnouncer>();
    }
}
