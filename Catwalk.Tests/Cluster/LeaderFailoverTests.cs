using System.Collections.Concurrent;
using System.Diagnostics;
using Catwalk.Core.Cluster;
using Catwalk.Core.Deployments;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Cluster;

/// <summary>The background duties fail over: when the leading instance dies, the other takes the monitor over.</summary>
public sealed class LeaderFailoverTests(PostgresServer postgres)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task When_the_leading_instance_dies_the_other_takes_over_the_monitor_within_one_interval()
    {
        await using var fly = new FlyMcpEndpointHost(postgres);
        await fly.InitializeAsync();
        var a = fly.Catwalk;
        var b = await fly.StartAnotherInstanceAsync();
        var aLeads = a.App.Services.GetRequiredService<BackgroundDutyLeadership>();
        var bLeads = b.App.Services.GetRequiredService<BackgroundDutyLeadership>();
        await Eventually.Until(() => aLeads.IsLeader, "A, started first, leads");
        bLeads.IsLeader.Should().BeFalse();
        var (id, _, _) = await fly.DeployEverythingAsync("failover");
        var machineId = fly.MachinesOf(id).Single().Id;

        // What B's subscribers hear about the machine from now on: A's monitor (relayed), then, once A is gone, B's own.
        var observedAt = new ConcurrentQueue<long>();
        using var subscription = b.App.Services.GetRequiredService<DeploymentStatusFeed>().Subscribe(update =>
        {
            if (update is MachineObserved observed && observed.Machine.MachineId == machineId)
            {
                observedAt.Enqueue(Stopwatch.GetTimestamp());
            }

            return Task.CompletedTask;
        });
        await Eventually.Until(() => !observedAt.IsEmpty, "A's monitor reaches B's pages through the feed");

        await a.DisposeAsync();
        var killed = Stopwatch.GetTimestamp();

        await Eventually.Until(() => bLeads.IsLeader, "B takes the lead", TimeSpan.FromSeconds(15));
        var tookOver = Stopwatch.GetElapsedTime(killed);
        await Eventually.Until(() => observedAt.Any(t => t > killed), "B's own monitor observes the machine", TimeSpan.FromSeconds(15));
        var monitored = Stopwatch.GetElapsedTime(killed, observedAt.First(t => t > killed));

        // One leader check interval to take the lock, one monitor interval for its first pass; a loaded machine adds some.
        tookOver.Should().BeLessThan(Interval * 3, "a standby tries the lock every CATWALK_LEADER_CHECK_INTERVAL ({0})", Interval);
        monitored.Should().BeLessThan(Interval * 5, "the new leader's monitor runs every CATWALK_MONITOR_INTERVAL ({0})", Interval);
        TestContext.Current.SendDiagnosticMessage($"B led after {tookOver.TotalMilliseconds:0} ms and observed the machine after {monitored.TotalMilliseconds:0} ms");
    }
}
