using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Machines.Local;

/// <summary>Stops every local server process tree when the host stops, before its services are disposed.</summary>
internal sealed class LocalRuntimeShutdown(LocalMachineRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAllAsync();
}
