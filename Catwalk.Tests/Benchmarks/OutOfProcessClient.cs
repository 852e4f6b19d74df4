using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Benchmarks;

/// <summary>
/// An MCP client in its own node process (<c>McpServers/benchmark-client.mjs</c>): the official TypeScript SDK client,
/// or raw HTTP over one keep-alive connection. It sees the endpoint as any client outside Catwalk's process does.
/// </summary>
internal static class OutOfProcessClient
{
    private static readonly string Script = Path.Combine(McpServerPackages.Directory, "benchmark-client.mjs");

    public static async Task<List<double>> SdkLatenciesAsync(Uri endpoint, IReadOnlyDictionary<string, string> headers, int warmUp, int calls, CancellationToken cancellationToken) =>
        Latencies(await RunAsync("sdk-latency", endpoint, headers, warmUp, calls, cancellationToken));

    public static async Task<List<double>> RawLatenciesAsync(Uri endpoint, IReadOnlyDictionary<string, string> headers, int warmUp, int calls, CancellationToken cancellationToken) =>
        Latencies(await RunAsync("raw-latency", endpoint, headers, warmUp, calls, cancellationToken));

    public static async Task<(long Calls, double Seconds)> SdkThroughputAsync(Uri endpoint, IReadOnlyDictionary<string, string> headers, int clients, int seconds, CancellationToken cancellationToken)
    {
        using var result = await RunAsync("sdk-throughput", endpoint, headers, clients, seconds, cancellationToken);
        return (result.RootElement.GetProperty("calls").GetInt64(), result.RootElement.GetProperty("seconds").GetDouble());
    }

    private static List<double> Latencies(JsonDocument result)
    {
        using (result)
        {
            return result.RootElement.GetProperty("latencies").EnumerateArray().Select(e => e.GetDouble()).ToList();
        }
    }

    private static async Task<JsonDocument> RunAsync(string mode, Uri endpoint, IReadOnlyDictionary<string, string> headers, int first, int second, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(Script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Script, mode, endpoint.ToString(), JsonSerializer.Serialize(headers), first.ToString(CultureInfo.InvariantCulture), second.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {mode} client failed ({process.ExitCode}): {await errors}");
        }

        return JsonDocument.Parse(await output);
    }
}
