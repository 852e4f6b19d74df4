using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace Catwalk.Tests.Mcp;

/// <summary>
/// The real Catwalk host with the local runtime, and helpers to deploy server-everything through the lifecycle and
/// reach it through <c>/api/mcp/{id}</c> with the official MCP SDK client.
/// </summary>
public sealed class McpEndpointHost(PostgresServer postgres) : IAsyncLifetime
{
    public const string SecretName = "CATWALK_E2E_SECRET";

    /// <summary>A browser-based MCP client's origin, in CATWALK_ALLOWED_ORIGINS.</summary>
    public const string AllowedOrigin = "https://inspector.example";

    private Task<(Guid Id, string Token, string Secret)>? _shared;

    public CatwalkAppFactory App { get; private set; } = null!;

    /// <summary>One server-everything deployment the tests of a class share (deployed on first use).</summary>
    public Task<(Guid Id, string Token, string Secret)> SharedDeploymentAsync() =>
        _shared ??= DeployEverythingAsync("everything");

    /// <summary>Settings applied before the host starts (tests with their own host change them).</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = new();

    /// <summary>The host environment the app runs in (the benchmark measures Production).</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Registrations applied after the app's own, before the host starts (in-memory exporters, say).</summary>
    public Action<IServiceCollection>? ExtraServices { get; set; }

    public DeploymentLifecycle Lifecycle => App.Services.GetRequiredService<DeploymentLifecycle>();

    /// <summary>The database; set it before the host starts to share another host's (a second Catwalk instance).</summary>
    public string? ConnectionString { get; set; }

    public async ValueTask InitializeAsync()
    {
        ConnectionString ??= await postgres.CreateDatabaseAsync();
        App = new CatwalkAppFactory(ConnectionString, Environment);
        App.Settings["CATWALK_RUNTIME"] = "local";
        App.Settings["CATWALK_MONITOR_INTERVAL"] = "1";
        App.Settings["CATWALK_MCP_MAX_BODY_BYTES"] = "65536";
        App.Settings["CATWALK_ALLOWED_ORIGINS"] = AllowedOrigin;
        foreach (var (key, value) in ExtraSettings)
        {
            App.Settings[key] = value;
        }

        App.ExtraServices = ExtraServices;
        _ = App.BaseAddress;
    }

    /// <summary>Deploys server-everything with one credential and waits until it is Running.</summary>
    public async Task<(Guid Id, string Token, string Secret)> DeployEverythingAsync(string name)
    {
        var secret = "value-" + Guid.NewGuid().ToString("N");
        var created = await Lifecycle.CreateAsync(new CreateDeploymentRequest(
            "owner-e2e", name, "https://github.com/modelcontextprotocol/servers", "@modelcontextprotocol/server-everything",
            PackageRuntime.Npm, null, new Dictionary<string, string> { [SecretName] = secret }), TestContext.Current.CancellationToken);
        await WaitForStatusAsync(created.Deployment.Id, DeploymentStatus.Running);
        return (created.Deployment.Id, created.AccessToken, secret);
    }

    public async Task<Deployment> DeploymentAsync(Guid id)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync();
        return await db.Deployments.AsNoTracking().Include(d => d.Events).SingleAsync(d => d.Id == id);
    }

    /// <summary>Waits until the deployment reaches <paramref name="status"/>; a Failed deployment ends the wait with its reason.</summary>
    public async Task<Deployment> WaitForStatusAsync(Guid id, DeploymentStatus status, TimeSpan? timeout = null)
    {
        var deployment = await Eventually.ReturnsAsync(() => DeploymentAsync(id),
            d => d.Status == status || d.Status == DeploymentStatus.Failed, $"deployment {id} is {status}", timeout ?? TimeSpan.FromSeconds(60));
        deployment.Status.Should().Be(status, "the deployment should not fail: {0}", deployment.ErrorMessage);
        return deployment;
    }

    public Uri EndpointOf(Guid id) => new(App.BaseAddress, $"api/mcp/{id}");

    public async Task<McpClient> ConnectAsync(Guid id, string token, string? protocolVersion = "2025-11-25")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = EndpointOf(id),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }, NullLoggerFactory.Instance);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion },
            NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
