using System.Collections.Concurrent;
using Catwalk.Tests.Fakes;

namespace Catwalk.Tests.Telemetry;

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP receiver on loopback: accepts protobuf POSTs at <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> and keeps each body. Protobuf writes strings as UTF-8 bytes, so span and
/// metric names can be found in a body without decoding it.
/// </summary>
public sealed class OtlpCollectorStandIn : IAsyncDisposable
{
    private readonly KestrelLoopbackHost _host;

    private OtlpCollectorStandIn(KestrelLoopbackHost host, ConcurrentQueue<(string Signal, string ContentType, byte[] Body)> received)
    {
        _host = host;
        Received = received;
    }

    public Uri BaseAddress => _host.BaseAddress;

    public ConcurrentQueue<(string Signal, string ContentType, byte[] Body)> Received { get; }

    public static async Task<OtlpCollectorStandIn> StartAsync()
    {
        var received = new ConcurrentQueue<(string, string, byte[])>();
        var host = await KestrelLoopbackHost.StartAsync(app => app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((signal, request.ContentType ?? "", body.ToArray()));
            // An empty ExportTraceServiceResponse / ExportMetricsServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        }));
        return new OtlpCollectorStandIn(host, received);
    }

    /// <summary>True when some body of <paramref name="signal"/> holds <paramref name="text"/>.</summary>
    public bool Holds(string signal, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Received.Any(r => r.Signal == signal && r.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
