using System.Diagnostics;

namespace Catwalk.Core.Telemetry;

/// <summary>The names Catwalk's traces and metrics are published under (OpenTelemetry subscribes to them by name).</summary>
public static class CatwalkTelemetry
{
    public const string Name = "Catwalk";

    /// <summary>Spans of lifecycle operations; forwarded MCP requests enrich ASP.NET Core's own request span.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>A span for one lifecycle operation on a deployment; null (and free) when nobody listens.</summary>
    public static Activity? StartOperation(string operation, Guid deploymentId)
    {
        var activity = Source.StartActivity("deployment." + operation);
        activity?.SetTag(Tags.DeploymentId, deploymentId.ToString());
        return activity;
    }

    /// <summary>Tag names, after OpenTelemetry's MCP and HTTP conventions where they exist.</summary>
    public static class Tags
    {
        public const string DeploymentId = "catwalk.deployment.id";
        public const string McpMethod = "mcp.method.name";
        public const string McpName = "mcp.name";
        public const string Tool = "gen_ai.tool.name";
        public const string StatusCode = "http.response.status_code";
        public const string State = "catwalk.machine.state";
        public const string Runtime = "catwalk.runtime";
        public const string Outcome = "catwalk.outcome";
    }
}
