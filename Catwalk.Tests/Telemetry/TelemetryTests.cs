using System.Diagnostics;
using System.Text;
using Catwalk.Core.Deployments;
using Catwalk.Core.Telemetry;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Mcp;
using ModelContextProtocol.Protocol;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Catwalk.Tests.Telemetry;

/// <summary>Traces and metrics of a real forwarded MCP call and of a deployment's lifecycle, as an operator's collector sees them.</summary>
public sealed class TelemetryTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_forwarded_tool_call_is_a_span_and_counted_per_deployment_and_tool_without_its_token_or_arguments()
    {
        var ct = TestContext.Current.CancellationToken;
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        await using var host = new McpEndpointHost(postgres)
        {
            ExtraServices = services => services
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics)),
        };
        await host.InitializeAsync();
        var (id, token, _) = await host.DeployEverythingAsync("telemetry");
        var argument = "argument-" + Guid.NewGuid().ToString("N");

        await using (var client = await host.ConnectAsync(id, token, protocolVersion: "2026-07-28"))
        {
            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = argument }, cancellationToken: ct);
            echo.Content.OfType<TextContentBlock>().Single().Text.Should().Contain(argument);
        }

        host.App.Services.GetRequiredService<TracerProvider>().ForceFlush().Should().BeTrue();
        var idText = id.ToString();
        Activity[] ours;
        lock (spans)
        {
            ours = spans.Where(s => Equals(s.GetTagItem(CatwalkTelemetry.Tags.DeploymentId), idText)).ToArray();
        }

        var call = ours.Should().ContainSingle(s => Equals(s.GetTagItem(CatwalkTelemetry.Tags.McpMethod), "tools/call")).Subject;
        call.DisplayName.Should().Be("POST /api/mcp/{deploymentId}", "HTTP spans are named after the route, never the id");
        call.GetTagItem(CatwalkTelemetry.Tags.Tool).Should().Be("echo");
        call.GetTagItem("http.response.status_code").Should().Be(200);
        ours.Should().Contain(s => s.DisplayName == "deployment.provision" && Equals(s.GetTagItem(CatwalkTelemetry.Tags.Outcome), "Running"));
        var everyTag = string.Join("\n", ours.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}"));
        everyTag.Should().NotContain(token).And.NotContain(argument, "a span carries names, never a token or an argument");

        await Eventually.Until(() => Points(host, metrics, "catwalk.machines").Any(p => p.Tags.Contains("catwalk.machine.state=Started")),
            "the monitor has reported the running machine");
        var requests = Points(host, metrics, "catwalk.mcp.requests").Where(p => p.Tags.Contains($"catwalk.deployment.id={idText}")).ToArray();
        requests.Should().Contain(p => p.Tags.Contains("gen_ai.tool.name=echo") && p.Sum == 1);
        Points(host, metrics, "catwalk.mcp.request.duration")
            .Should().Contain(p => p.Tags.Contains($"catwalk.deployment.id={idText}") && p.Tags.Contains("gen_ai.tool.name=echo") && p.Count >= 1);
        Points(host, metrics, "catwalk.deploy.duration").Should().Contain(p => p.Tags.Contains("catwalk.outcome=Running") && p.Count >= 1);

        var figures = host.App.Services.GetRequiredService<DeploymentActivity>().Get(id);
        figures.ToolCalls.Should().ContainKey("echo").WhoseValue.Should().Be(1, "the deployment page reads the same counter");
        figures.Requests.Should().Be(requests.Sum(p => p.Sum), "the page's request figure is the exported one");
    }

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_traces_and_metrics_reach_the_collector_over_http_protobuf()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var collector = await OtlpCollectorStandIn.StartAsync();
        await using var host = new McpEndpointHost(postgres);
        host.ExtraSettings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.AbsoluteUri.TrimEnd('/');
        await host.InitializeAsync();
        var (id, token, _) = await host.DeployEverythingAsync("otlp");
        await using (var client = await host.ConnectAsync(id, token, protocolVersion: "2026-07-28"))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "to the collector" }, cancellationToken: ct);
        }

        host.App.Services.GetRequiredService<TracerProvider>().ForceFlush().Should().BeTrue();
        host.App.Services.GetRequiredService<MeterProvider>().ForceFlush().Should().BeTrue();

        collector.Received.Should().OnlyContain(r => r.ContentType.StartsWith("application/x-protobuf", StringComparison.Ordinal));
        collector.Holds("traces", "tools/call").Should().BeTrue("the forwarded call's span was exported with its MCP method");
        collector.Holds("traces", "deployment.provision").Should().BeTrue();
        collector.Holds("traces", id.ToString()).Should().BeTrue();
        collector.Holds("traces", token).Should().BeFalse("no token ever leaves in telemetry");
        collector.Holds("metrics", "catwalk.mcp.requests").Should().BeTrue();
        collector.Holds("metrics", "catwalk.deploy.duration").Should().BeTrue();
        collector.Holds("metrics", "http.server.request.duration").Should().BeTrue("ASP.NET Core's own meters go along");
    }

    /// <summary>The points of the latest export of <paramref name="name"/> (cumulative: each export holds the totals so far).</summary>
    private static (string Tags, long Sum, long Count)[] Points(McpEndpointHost host, List<MetricSnapshot> metrics, string name)
    {
        host.App.Services.GetRequiredService<MeterProvider>().ForceFlush();
        lock (metrics)
        {
            var latest = metrics.LastOrDefault(m => m.Name == name);
            return latest is null ? [] : latest.MetricPoints.Select(p => (Describe(p), Sum(latest, p), HistogramCount(latest, p))).ToArray();
        }
    }

    private static string Describe(MetricPoint point)
    {
        var text = new StringBuilder();
        foreach (var tag in point.Tags)
        {
            text.Append(tag.Key).Append('=').Append(tag.Value).Append(';');
        }

        return text.ToString();
    }

    private static long Sum(MetricSnapshot m, MetricPoint point) => m.MetricType switch
    {
        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
        MetricType.LongGauge => point.GetGaugeLastValueLong(),
        _ => 0,
    };

    private static long HistogramCount(MetricSnapshot m, MetricPoint point) =>
        m.MetricType == MetricType.Histogram ? point.GetHistogramCount() : 0;
}
