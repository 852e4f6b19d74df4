using System.Diagnostics;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Benchmarks;

/// <summary>
/// What the sandbox costs a warm start: server-everything deployed twice on the local runtime, once in its bubblewrap
/// sandbox (<c>CATWALK_LOCAL_SANDBOX=bwrap</c>) and once without (<c>none</c>, the baseline), each machine stopped and
/// started again (package already installed: the warm case) and timed until its <c>/status</c> answers 200, that is
/// until the server answered <c>initialize</c>. The two alternate run by run so drift hits both alike.
/// </summary>
internal static class WarmStartFigures
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<(List<double> Sandboxed, List<double> Unsandboxed)> MeasureAsync(PostgresServer postgres, int runs, CancellationToken cancellationToken)
    {
        await using var sandboxed = await DeployAsync(postgres, "bwrap");
        await using var unsandboxed = await DeployAsync(postgres, "none");
        var (withSandbox, without) = (new List<double>(), new List<double>());
        for (var run = 0; run < runs; run++)
        {
            // Alternate which goes first.
            var order = run % 2 == 0 ? new[] { (sandboxed, withSandbox), (unsandboxed, without) } : [(unsandboxed, without), (sandboxed, withSandbox)];
            foreach (var (machine, figures) in order)
            {
                figures.Add(await WarmStartAsync(machine, cancellationToken));
            }
        }

        return (withSandbox, without);
    }

    private static async Task<double> WarmStartAsync(DeployedMachine machine, CancellationToken cancellationToken)
    {
        await machine.Runtime.StopAsync(machine.MachineId, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        await machine.Runtime.StartAsync(machine.MachineId, cancellationToken);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (!await AnswersAsync(machine.HealthUrl, cancellationToken))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{machine.MachineId} did not answer /status within 60 s of its start.");
            }

            await Task.Delay(5, cancellationToken);
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<bool> AnswersAsync(Uri healthUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(healthUrl, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<DeployedMachine> DeployAsync(PostgresServer postgres, string sandbox)
    {
        var host = new McpEndpointHost(postgres);
        host.ExtraSettings["Logging:LogLevel:Default"] = "Error";
        host.ExtraSettings["ENCRYPTION_KEY"] = FernetKey.Generate().Export();
        host.ExtraSettings["CATWALK_MONITOR_INTERVAL"] = "600";
        host.ExtraSettings["CATWALK_IDLE_TIMEOUT"] = "0";
        host.ExtraSettings["CATWALK_LOCAL_SANDBOX"] = sandbox;
        await host.InitializeAsync();
        var (id, _, _) = await host.DeployEverythingAsync("warm-start-" + sandbox);
        var deployment = await host.DeploymentAsync(id);
        var runtime = host.App.Services.GetRequiredService<MachineRuntimes>().For(deployment.RuntimeKind);
        var machine = await runtime.InspectAsync(deployment.MachineId!, CancellationToken.None)
            ?? throw new InvalidOperationException("The runtime lost the machine.");
        return new DeployedMachine(host, runtime, machine.MachineId, machine.HealthUrl);
    }

    private sealed record DeployedMachine(McpEndpointHost Host, IMachineRuntime Runtime, string MachineId, Uri HealthUrl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
