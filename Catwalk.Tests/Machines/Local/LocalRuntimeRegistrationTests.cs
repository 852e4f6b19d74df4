using System.Diagnostics.CodeAnalysis;
using Catwalk.Core.Hosting;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Machines.Local;

/// <summary><c>AddCatwalkLocalRuntime</c> in a real host: configuration, registration, and shutdown.</summary>
public sealed class LocalRuntimeRegistrationTests
{
    [Fact]
    public async Task Stopping_the_host_stops_every_server_process_tree()
    {
        var ct = TestContext.Current.CancellationToken;
        using var host = BuildHost(new() { [LocalRuntimeOptions.WorkingDirectoryVariable] = McpServerPackages.Directory });
        await host.StartAsync(ct);
        var runtime = host.Services.GetRequiredService<IMachineRuntime>();
        var local = host.Services.GetRequiredService<LocalMachineRuntime>();
        var trees = new List<IReadOnlyList<(int Pid, string CommandLine)>>();
        foreach (var spec in new[] { LocalRuntimeScope.Everything(), LocalRuntimeScope.Everything() })
        {
            var machine = await runtime.ProvisionAsync(spec, ct);
            await Eventually.ReturnsAsync(() => runtime.InspectAsync(machine.MachineId, ct), info => info?.Health == MachineHealth.Healthy, "the server is healthy");
            trees.Add(ProcessTree.Of(local.GetServerProcessId(machine.MachineId)!.Value));
        }

        trees.Should().AllSatisfy(tree => tree.Should().Contain(process => process.CommandLine.StartsWith("node ", StringComparison.Ordinal) && process.CommandLine.Contains("mcp-server-everything", StringComparison.Ordinal)));

        await host.StopAsync(ct);

        await Eventually.IsTrueAsync(() => trees.SelectMany(tree => tree).All(process => !ProcessTree.IsAlive(process.Pid)), "no process of any tree is left");
        (await runtime.ListAsync(ct)).Should().BeEmpty();
    }

    [Fact]
    public void The_local_runtime_is_the_keyed_Local_runtime_and_the_default_when_none_was_registered()
    {
        using var host = BuildHost([]);

        var local = host.Services.GetRequiredService<LocalMachineRuntime>();
        host.Services.GetRequiredKeyedService<IMachineRuntime>(RuntimeKind.Local).Should().BeSameAs(local);
        host.Services.GetRequiredService<IMachineRuntime>().Should().BeSameAs(local);
        local.Kind.Should().Be(RuntimeKind.Local);
    }

    [Fact]
    public void A_runtime_registered_before_stays_the_default()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var other = new OtherRuntime();
        builder.Services.AddSingleton<IMachineRuntime>(other);
        builder.AddCatwalkLocalRuntime();
        using var host = builder.Build();

        host.Services.GetRequiredService<IMachineRuntime>().Should().BeSameAs(other);
        host.Services.GetRequiredKeyedService<IMachineRuntime>(RuntimeKind.Local).Should().BeOfType<LocalMachineRuntime>();
    }

    [Fact]
    public void Options_come_from_the_environment_variable_names_and_the_working_directory_defaults_under_the_data_directory()
    {
        var data = Path.Combine(Path.GetTempPath(), "catwalk-data-" + Guid.NewGuid().ToString("N")[..8]);
        using var host = BuildHost(new()
        {
            [DataDirectory.Variable] = data,
            [LocalRuntimeOptions.NpxCommandVariable] = "/opt/node/bin/npx",
            [LocalRuntimeOptions.MaxConsecutiveCrashesVariable] = "7",
            [LocalRuntimeOptions.InitializeTimeoutVariable] = "45",
            [LocalRuntimeOptions.LogTailLinesVariable] = "50",
        });

        var options = host.Services.GetRequiredService<IOptions<LocalRuntimeOptions>>().Value;

        options.NpxCommand.Should().Be("/opt/node/bin/npx");
        options.UvxCommand.Should().Be("uvx");
        options.WorkingDirectory.Should().Be(Path.Combine(data, "mcp-servers"));
        options.MaxConsecutiveCrashes.Should().Be(7);
        options.InitializeTimeout.Should().Be(TimeSpan.FromSeconds(45));
        options.LogTailLines.Should().Be(50);
    }

    [Fact]
    public async Task A_malformed_setting_fails_start_up_naming_the_variable()
    {
        using var host = BuildHost(new() { [LocalRuntimeOptions.MaxConsecutiveCrashesVariable] = "many" });

        var start = async () => await host.StartAsync(TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain(LocalRuntimeOptions.MaxConsecutiveCrashesVariable).And.Contain("'many'");
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        settings.TryAdd(DataDirectory.Variable, Path.Combine(Path.GetTempPath(), "catwalk-data-" + Guid.NewGuid().ToString("N")[..8]));
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCatwalkLocalRuntime();
        return builder.Build();
    }

    private sealed class OtherRuntime : IMachineRuntime
    {
        public RuntimeKind Kind => RuntimeKind.Fly;

        public Task<MachineInfo> ProvisionAsync(MachineSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MachineInfo> UpdateAsync(string machineId, MachineSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StartAsync(string machineId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StopAsync(string machineId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DestroyAsync(string machineId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MachineInfo?> InspectAsync(string machineId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<MachineInfo>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public bool TryGetUpstream(string machineId, [NotNullWhen(true)] out MachineUpstream? upstream) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> GetLogTailAsync(string machineId, int lines, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
