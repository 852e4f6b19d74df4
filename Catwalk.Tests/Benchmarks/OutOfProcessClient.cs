using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Benchmarks;

/// <summary>
/// An MCP client in its own node process (<c>McpServers/benchmark-client.mjs</c>): the official TypeScript SDK client,
/// or raw HTTP over one keep-alive connection. It sees the endpoint as any client outside Catwalk's process does, and
/// measures two endpoints in one process, in turns, so drift on a shared machine hits both alike.
/// </summary>
internal static class OutOfProcessClient
{
    private static readonly string Script = Path.Combine(McpServerPackages.Directory, "benchmark-client.mjs");

    /// <summary>Sequential TypeScript SDK <c>echo</c> calls, the targets taking turns in blocks; latencies per target.</summary>
    public static async Task<List<double>[]> SdkLatenciesAsync(IReadOnlyList<BenchmarkTarget> targets, int warmUp, int calls, CancellationToken cancellationToken) =>
        Latencies(await RunAsync("sdk-latency-pair", targets, warmUp, calls, cancellationToken));

    /// <summary>Sequential raw keep-alive HTTP <c>echo</c> calls, one connection per target, taking turns in blocks.</summary>
    public static async Task<List<double>[]> RawLatenciesAsync(IReadOnlyList<BenchmarkTarget> targets, int warmUp, int calls, CancellationToken cancellationToken) =>
        Latencies(await RunAsync("raw-latency-pair", targets, warmUp, calls, cancellationToken));

    /// <summary><paramref name="clients"/> TypeScript SDK clients per target, the targets taking turns in one-second windows.</summary>
    public static async Task<(long Calls, double Seconds)[]> SdkThroughputAsync(IReadOnlyList<BenchmarkTarget> targets, int clients, int seconds, CancellationToken cancellationToken)
    {
        using var result = await RunAsync("sdk-throughput-pair", targets, clients, seconds, cancellationToken);
        var calls = result.RootElement.GetProperty("calls").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var elapsed = result.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return calls.Zip(elapsed).ToArray();
    }

    private static List<double>[] Latencies(JsonDocument result)
    {
        using (result)
        {
            return result.RootElement.GetProperty("latencies").EnumerateArray()
                .Select(target => target.EnumerateArray().Select(e => e.GetDouble()).ToList()).ToArray();
        }
    }

    private static async Task<JsonDocument> RunAsync(string mode, IReadOnlyList<BenchmarkTarget> targets, int first, int second, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(Script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var targetsJson = JsonSerializer.Serialize(targets.Select(target => new { url = target.Endpoint.ToString(), headers = target.Headers }));
        foreach (var argument in new[] { Script, mode, targetsJson, first.ToString(CultureInfo.InvariantCulture), second.ToString(CultureInfo.InvariantCulture) })
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

/// <summary>An endpoint the benchmark's clients call (forwarded or direct), with the headers they send.</summary>
internal sealed record BenchmarkTarget(string Name, Uri Endpoint, IReadOnlyDictionary<string, string> Headers);
