using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Machines.Fly;

public sealed class FlyRuntimeRegistrationTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Without_a_fly_token_no_fly_runtime_is_registered()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["FLY_MCP_APP_NAME"] = "catwalk-mcp" });

        builder.AddCatwalkFlyRuntime();
        using var host = builder.Build();

        host.Services.GetKeyedService<IMachineRuntime>(RuntimeKind.Fly).Should().BeNull();
    }

    [Fact]
    public async Task A_fly_token_without_image_and_app_fails_start_up_naming_both()
    {
        var start = () => FlyRuntimeHost.StartAsync(new Dictionary<string, string?> { ["FLY_API_TOKEN"] = "token" });

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("FLY_MCP_IMAGE and FLY_MCP_APP_NAME are not set");
    }

    [Fact]
    public async Task Choosing_the_fly_runtime_without_a_token_fails_start_up_naming_it()
    {
        var start = () => FlyRuntimeHost.StartAsync(new Dictionary<string, string?>
        {
            ["CATWALK_RUNTIME"] = "fly",
            ["FLY_MCP_APP_NAME"] = "catwalk-mcp",
            ["FLY_MCP_IMAGE"] = "registry.fly.io/catwalk-mcp:1",
        });

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("FLY_API_TOKEN is not set").And.NotContain("FLY_MCP_IMAGE and");
    }

    [Theory]
    [InlineData("FLY_API_ATTEMPT_TIMEOUT", "soon", "FLY_API_ATTEMPT_TIMEOUT is 'soon': use 30s, 15m, 2h, hh:mm:ss or a plain number of seconds")]
    [InlineData("FLY_MCP_MEMORY_MB", "300", "FLY_MCP_MEMORY_MB=300 must be a multiple of 256")]
    [InlineData("FLY_MCP_CPUS", "two", "FLY_MCP_CPUS is 'two': set it to a whole number between 1 and 16")]
    [InlineData("FLY_MACHINE_URL_TEMPLATE", "http://machines.internal:8080", "FLY_MACHINE_URL_TEMPLATE")]
    [InlineData("FLY_MCP_APP_NAME", "Catwalk MCP", "FLY_MCP_APP_NAME='Catwalk MCP' is not a Fly app name")]
    [InlineData("FLY_API_BASE_URL", "api.machines.dev", "FLY_API_BASE_URL='api.machines.dev' is not an http(s) URL")]
    public async Task A_bad_setting_fails_start_up_naming_the_variable(string variable, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FLY_API_TOKEN"] = "token",
            ["FLY_MCP_APP_NAME"] = "catwalk-mcp",
            ["FLY_MCP_IMAGE"] = "registry.fly.io/catwalk-mcp:1",
            [variable] = value,
        };

        var start = () => FlyRuntimeHost.StartAsync(settings);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task The_web_app_with_a_fly_token_but_no_image_refuses_to_start_naming_the_variables()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["FLY_API_TOKEN"] = "token";

        var start = () => app.BaseAddress;

        start.Should().Throw<OptionsValidationException>().WithMessage("*FLY_MCP_IMAGE and FLY_MCP_APP_NAME are not set*");
    }

    [Fact]
    public async Task The_web_app_configured_for_fly_runs_new_deployments_on_fly_machines()
    {
        await using var fake = await FakeFlyMachinesApi.StartAsync();
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        foreach (var (key, value) in FlyRuntimeHost.SettingsFor(fake))
        {
            app.Settings[key] = value;
        }

        _ = app.BaseAddress;
        var runtimes = app.Services.GetRequiredService<MachineRuntimes>();

        runtimes.ActiveKind.Should().Be(RuntimeKind.Fly);
        runtimes.Active.Should().BeOfType<FlyMachineRuntime>();
        (await runtimes.Active.ListAsync(Ct)).Should().BeEmpty();
        fake.Requests.Should().Contain(r => r.Call == FlyCall.List, "the reconciler's start-up round listed the machines too");
    }
}
