using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Tests.Fakes.FlyMachines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catwalk.Tests.Machines.Fly;

/// <summary>
/// The Fly runtime as production wires it (<c>AddCatwalkFlyRuntime</c>, the real resilience pipeline), pointed at a
/// fake Machines API with timings short enough for tests.
/// </summary>
internal sealed class FlyRuntimeHost : IAsyncDisposable
{
    public const string Image = "registry.fly.io/catwalk-mcp-test:deployment-01";

    private readonly IHost _host;

    private FlyRuntimeHost(IHost host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _host.Services;

    public IMachineRuntime Runtime => _host.Services.GetRequiredKeyedService<IMachineRuntime>(RuntimeKind.Fly);

    public FlyMachinesClient Client => _host.Services.GetRequiredService<FlyMachinesClient>();

    public static Dictionary<string, string?> SettingsFor(FakeFlyMachinesApi fake) => new()
    {
        ["FLY_API_TOKEN"] = fake.Token,
        ["FLY_API_BASE_URL"] = fake.BaseUrl.ToString(),
        ["FLY_MCP_APP_NAME"] = fake.AppName,
        ["FLY_MCP_IMAGE"] = Image,
        ["FLY_MACHINE_URL_TEMPLATE"] = fake.MachineUrlTemplate,
        ["FLY_MACHINE_STOP_TIMEOUT"] = "10s",
        ["FLY_MACHINE_WAIT_CHUNK"] = "1s",
        ["FLY_API_ATTEMPT_TIMEOUT"] = "2s",
        ["FLY_API_TOTAL_TIMEOUT"] = "30s",
        ["FLY_API_MAX_RETRIES"] = "4",
        ["FLY_API_RETRY_DELAY"] = "20ms",
        // Tests of transient faults must not trip the breaker; the breaker's own tests lower this.
        ["FLY_API_BREAKER_MIN_CALLS"] = "1000",
    };

    public static async Task<FlyRuntimeHost> StartAsync(FakeFlyMachinesApi fake, Action<Dictionary<string, string?>>? adjust = null)
    {
        var settings = SettingsFor(fake);
        adjust?.Invoke(settings);
        return await StartAsync(settings);
    }

    public static async Task<FlyRuntimeHost> StartAsync(Dictionary<string, string?> settings, Action<IHostApplicationBuilder>? also = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturedLogs();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddCatwalkFlyRuntime();
        also?.Invoke(builder);
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new FlyRuntimeHost(host, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
