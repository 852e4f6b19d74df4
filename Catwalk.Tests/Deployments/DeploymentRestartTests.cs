using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Deployments;

/// <summary>State survives an app restart: deployments that should run are brought back, stopped ones stay stopped.</summary>
public sealed class DeploymentRestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task After_a_restart_running_deployments_come_back_and_stopped_ones_stay_stopped()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync();
        var key = Catwalk.Core.Credentials.FernetKey.Generate().Export();
        Guid running, stopped;

        await using (var first = NewApp(database, key))
        {
            var lifecycle = first.Services.GetRequiredService<DeploymentLifecycle>();
            running = (await lifecycle.CreateAsync(Everything("comes-back"), ct)).Deployment.Id;
            stopped = (await lifecycle.CreateAsync(Everything("stays-down"), ct)).Deployment.Id;
            await WaitForAsync(database, running, DeploymentStatus.Running);
            await WaitForAsync(database, stopped, DeploymentStatus.Running);
            await lifecycle.StopAsync(stopped, "Stopped by the test", ct);
        }

        await using var second = NewApp(database, key);
        _ = second.BaseAddress;

        var back = await WaitForAsync(database, running, DeploymentStatus.Running, afterEvent: "Brought back");
        back.Events.Should().Contain(e => e.Reason.Contains("restart", StringComparison.OrdinalIgnoreCase) || e.Reason.Contains("vanished", StringComparison.OrdinalIgnoreCase) || e.Reason.Contains("gone", StringComparison.OrdinalIgnoreCase));
        (await LoadAsync(database, stopped)).Status.Should().Be(DeploymentStatus.Stopped);
    }

    private static CatwalkAppFactory NewApp(string database, string key)
    {
        var app = new CatwalkAppFactory(database);
        app.Settings["CATWALK_RUNTIME"] = "local";
        app.Settings["ENCRYPTION_KEY"] = key;
        return app;
    }

    private static CreateDeploymentRequest Everything(string name) =>
        new("owner", name, null, McpServerPackages.Everything, PackageRuntime.Npm, null, new Dictionary<string, string> { ["A_SECRET"] = "v" });

    private static async Task<Deployment> LoadAsync(string database, Guid id)
    {
        await using var db = PostgresServer.CreateContext(database);
        return await db.Deployments.AsNoTracking().Include(d => d.Events).SingleAsync(d => d.Id == id);
    }

    private static Task<Deployment> WaitForAsync(string database, Guid id, DeploymentStatus status, string? afterEvent = null) =>
        Eventually.ReturnsAsync(() => LoadAsync(database, id),
            d => d.Status == status && (afterEvent is null || d.Events.Count(e => e.ToStatus == DeploymentStatus.Running) >= 2),
            $"deployment {id} is {status}", TimeSpan.FromSeconds(90));
}
