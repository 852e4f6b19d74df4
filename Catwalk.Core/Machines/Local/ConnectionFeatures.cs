using System.Collections;
using System.Collections.Frozen;
using Microsoft.AspNetCore.Http.Features;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The features of a request that belong to its connection and its bytes (request line and headers, bodies, response,
/// lifetime, connection), seen through from the forwarder's request so the bridge's application reads and writes the
/// client's own streams. Everything the forwarder's pipeline added (its endpoint, services, items, user) stays behind,
/// so the bridge routes, resolves services and authorises as it does for a request from its own Kestrel. What the
/// bridge sets stays in this view (nothing is written back to the forwarder's request), and nothing is copied per call.
/// </summary>
internal sealed class ConnectionFeatures(IFeatureCollection connection) : IFeatureCollection
{
    private static readonly FrozenSet<Type> OfTheConnection = new[]
    {
        typeof(IHttpRequestFeature), typeof(IHttpRequestBodyDetectionFeature), typeof(IRequestBodyPipeFeature),
        typeof(IHttpRequestTrailersFeature), typeof(IHttpMaxRequestBodySizeFeature), typeof(IHttpResponseFeature),
        typeof(IHttpResponseBodyFeature), typeof(IHttpResponseTrailersFeature), typeof(IHttpRequestLifetimeFeature),
        typeof(IHttpRequestIdentifierFeature), typeof(IHttpConnectionFeature), typeof(IHttpBodyControlFeature),
        typeof(IHttpResetFeature), typeof(ITlsConnectionFeature),
    }.ToFrozenSet();

    private FeatureCollection? _own;

    public bool IsReadOnly => false;

    // Either collection changing invalidates what a context cached of this view.
    public int Revision => connection.Revision + (_own?.Revision ?? 0);

    public object? this[Type key]
    {
        get => _own?[key] ?? (OfTheConnection.Contains(key) ? connection[key] : null);
        set => (_own ??= new FeatureCollection(4))[key] = value;
    }

    public TFeature? Get<TFeature>()
    {
        if (_own is not null && _own.Get<TFeature>() is { } own)
        {
            return own;
        }

        return ConnectionFeature<TFeature>.Is ? connection.Get<TFeature>() : default;
    }

    public void Set<TFeature>(TFeature? instance) => (_own ??= new FeatureCollection(4)).Set(instance);

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (var feature in _own ?? Enumerable.Empty<KeyValuePair<Type, object>>())
        {
            yield return feature;
        }

        foreach (var feature in connection)
        {
            if (OfTheConnection.Contains(feature.Key) && _own?[feature.Key] is null)
            {
                yield return feature;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static class ConnectionFeature<TFeature>
    {
        public static readonly bool Is = OfTheConnection.Contains(typeof(TFeature));
    }
}
