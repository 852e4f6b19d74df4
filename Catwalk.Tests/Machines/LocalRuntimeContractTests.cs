using Catwalk.Core.Machines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Machines.Local;

namespace Catwalk.Tests.Machines;

/// <summary>The machine contract on the local runtime: real server-everything, each server in its bubblewrap sandbox.</summary>
public sealed class LocalRuntimeContractTests : MachineRuntimeContract
{
    private LocalRuntimeScope? _scope;

    protected override RuntimeKind Kind => RuntimeKind.Local;

    protected override string CrashReason => "exited with code 3";

    protected override string UnknownMachineId => Core.Machines.Local.LocalMachineId.For(Guid.NewGuid());

    protected override Task<IMachineRuntime> StartRuntimeAsync()
    {
        _scope = new LocalRuntimeScope();
        _scope.SandboxOptions.Mode.Should().Be(Core.Machines.Local.LocalSandboxMode.Bwrap, "the contract holds with the sandbox on");
        return Task.FromResult<IMachineRuntime>(_scope.Runtime);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
    }

    protected override MachineSpec HealthySpec() => SpecOf(McpServerPackages.Everything);

    protected override MachineSpec CrashingSpec() => SpecOf(McpServerPackages.Misbehaving);
}
