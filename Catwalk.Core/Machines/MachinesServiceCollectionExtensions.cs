using Catwalk.Core.Machines.Fly;
using Catwalk.Core.Machines.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Machines;

public static class MachinesServiceCollectionExtensions
{
    /// <summary>
    /// The machine runtimes, in one place: the choice for new deployments (<c>CATWALK_RUNTIME</c>, else Fly when
    /// <c>FLY_API_TOKEN</c> is set, else local), the local runtime (always: deployments made on it keep running on it),
    /// the Fly runtime when configured, the catalogue that finds a deployment's runtime (<see cref="MachineRuntimes"/>),
    /// and the <c>/status</c> probe every runtime's machines are checked with.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkMachines(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(MachinesRegistered)))
        {
            return builder; // Features that need the runtimes call this too; once is enough.
        }

        services.AddSingleton<MachinesRegistered>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(MachineRuntimeSelection.From(builder.Configuration));
        services.TryAddSingleton<MachineRuntimes>();
        if (!services.Any(d => d.ServiceType == typeof(MachineStatusProbe)))
        {
            services.AddHttpClient<MachineStatusProbe>()
                .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        }

        builder.AddCatwalkLocalRuntime();
        builder.AddCatwalkFlyRuntime();
        return builder;
    }

    /// <summary>Marks the runtimes as registered.</summary>
    private sealed class MachinesRegistered;
}
