using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The features of a request that belong to its connection and its bytes (request line and headers, bodies, response,
/// lifetime, connection), taken from the forwarder's request so the bridge's application reads and writes the client's
/// own streams. Everything the forwarder's pipeline added (its endpoint, services, items, user) stays behind, so the
/// bridge routes, resolves services and authorises as it does for a request from its own Kestrel.
/// </summary>
internal static class ConnectionFeatures
{
    public static IFeatureCollection Of(HttpContext context)
    {
        var source = context.Features;
        var features = new FeatureCollection(16);
        Copy<IHttpRequestFeature>(source, features);
        Copy<IHttpRequestBodyDetectionFeature>(source, features);
        Copy<IRequestBodyPipeFeature>(source, features);
        Copy<IHttpRequestTrailersFeature>(source, features);
        Copy<IHttpMaxRequestBodySizeFeature>(source, features);
        Copy<IHttpResponseFeature>(source, features);
        Copy<IHttpResponseBodyFeature>(source, features);
        Copy<IHttpResponseTrailersFeature>(source, features);
        Copy<IHttpRequestLifetimeFeature>(source, features);
        Copy<IHttpRequestIdentifierFeature>(source, features);
        Copy<IHttpConnectionFeature>(source, features);
        Copy<IHttpBodyControlFeature>(source, features);
        Copy<IHttpResetFeature>(source, features);
        Copy<ITlsConnectionFeature>(source, features);
        return features;
    }

    private static void Copy<TFeature>(IFeatureCollection source, FeatureCollection target)
    {
        if (source.Get<TFeature>() is { } feature)
        {
            target.Set(feature);
        }
    }
}
