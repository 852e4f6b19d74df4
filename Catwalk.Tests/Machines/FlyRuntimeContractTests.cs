using Catwalk.Core.Machines;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Machines.Fly;

namespace Catwalk.Tests.Machines;

/// <summary>The machine contract on the Fly runtime, as production wires it, against the fake Machines API (whose machines
/// serve <c>/status</c> themselves and crash on demand).</summary>
public sealed class FlyRuntimeContractTests : MachineRuntimeContract
{
    private FakeFlyMachinesApi? _fake;
    private FlyRuntimeHost? _host;

    protected override RuntimeKind Kind => RuntimeKind.Fly;

    protected override string CrashReason => "exited with code 1";

    protected override string UnknownMachineId => "148ed193b0e4d8";

    protected override async Task<IMachineRuntime> StartRuntimeAsync()
    {
        _fake = await FakeFlyMachinesApi.StartAsync();
        _host = await FlyRuntimeHost.StartAsync(_fake);
        return _host.Runtime;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    protected override MachineSpec HealthySpec() => SpecOf(McpServerPackages.Everything);

    protected override MachineSpec CrashingSpec()
    {
        _fake!.NewMachineBehavior = FakeMachineBehavior.CrashesAfterStarted;
        return SpecOf(McpServerPackages.Everything);
    }
}
