using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Machines;

/// <summary>
/// The runtimes this host can drive, each registered as a keyed <see cref="IMachineRuntime"/> under its
/// <see cref="RuntimeKind"/>, and the one new deployments use (<see cref="Active"/>).
/// </summary>
public sealed class MachineRuntimes(IServiceProvider services, MachineRuntimeSelection selection)
{
    public RuntimeKind ActiveKind => selection.Kind;

    public IMachineRuntime Active => For(selection.Kind);

    /// <summary>The runtime that runs deployments of <paramref name="kind"/> (a deployment keeps the runtime it was made on).</summary>
    public IMachineRuntime For(RuntimeKind kind) =>
        services.GetKeyedService<IMachineRuntime>(kind)
        ?? throw new InvalidOperationException(
            $"The {kind} runtime is not configured on this host. " +
            (kind == RuntimeKind.Fly ? "Set FLY_API_TOKEN, FLY_MCP_APP_NAME and FLY_MCP_IMAGE." : "Unset CATWALK_RUNTIME or set it to local."));

    /// <summary>Why new deployments of <paramref name="runtime"/> cannot run on the active runtime (with how to fix it), or null.</summary>
    public string? WhyCannotRun(Packages.PackageRuntime runtime) =>
        PrerequisitesOf(selection.Kind)?.WhyCannotRun(runtime);

    /// <summary>What <paramref name="kind"/> needs on this host, or null when it needs nothing of it.</summary>
    public IRuntimePrerequisites? PrerequisitesOf(RuntimeKind kind) => services.GetKeyedService<IRuntimePrerequisites>(kind);

    /// <summary>Every configured runtime (the admin pages list their machines).</summary>
    public IEnumerable<IMachineRuntime> All() =>
        Enum.GetValues<RuntimeKind>().Select(k => services.GetKeyedService<IMachineRuntime>(k)).OfType<IMachineRuntime>();
}

/// <summary>Which runtime new deployments use: <c>CATWALK_RUNTIME=local|fly</c>, else Fly when <c>FLY_API_TOKEN</c> is set, else Local.
/// Read while registering services (it decides what to register), so a bad value is a <see cref="Hosting.ConfigurationException"/>.</summary>
public sealed record MachineRuntimeSelection(RuntimeKind Kind)
{
    public const string Variable = "CATWALK_RUNTIME";

    public static MachineRuntimeSelection From(IConfiguration configuration)
    {
        var settings = new Hosting.SettingReader(configuration);
        return settings.Text(Variable)?.ToLowerInvariant() switch
        {
            null => new(settings.Text("FLY_API_TOKEN") is null ? RuntimeKind.Local : RuntimeKind.Fly),
            "local" => new(RuntimeKind.Local),
            "fly" => new(RuntimeKind.Fly),
            var other => throw new Hosting.ConfigurationException($"{Variable} is '{other}': set it to 'local' or 'fly', or unset it to choose by FLY_API_TOKEN."),
        };
    }
}
