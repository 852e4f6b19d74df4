using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

public static class LocalRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// The local runtime, as <see cref="LocalMachineRuntime"/> and as the keyed <see cref="IMachineRuntime"/>
    /// <see cref="RuntimeKind.Local"/>; also as the plain <see cref="IMachineRuntime"/> unless another runtime
    /// was registered first. Child processes are stopped when the host stops.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkLocalRuntime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<LocalRuntimeOptions>, LocalRuntimeOptionsSetup>();
        services.AddSingleton<IValidateOptions<LocalRuntimeOptions>, LocalRuntimeOptionsValidator>();
        services.AddOptions<LocalRuntimeOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<LocalSandboxOptions>, LocalSandboxOptionsSetup>();
        services.AddSingleton<IValidateOptions<LocalSandboxOptions>, LocalSandboxOptionsValidator>();
        services.AddOptions<LocalSandboxOptions>().ValidateOnStart();
        services.TryAddSingleton<LocalMachineRuntime>();
        services.TryAddKeyedSingleton<IMachineRuntime>(RuntimeKind.Local, (provider, _) => provider.GetRequiredService<LocalMachineRuntime>());
        services.TryAddSingleton<IMachineRuntime>(provider => provider.GetRequiredService<LocalMachineRuntime>());
        services.AddHostedService<LocalRuntimeShutdown>();
        services.TryAddSingleton<LocalRuntimePrerequisites>();
        services.TryAddKeyedSingleton<IRuntimePrerequisites>(RuntimeKind.Local, (provider, _) => provider.GetRequiredService<LocalRuntimePrerequisites>());
        services.AddHostedService<LocalRuntimePrerequisitesReport>();
        services.AddHostedService<UnsandboxedStartWarning>();
        return builder;
    }
}
