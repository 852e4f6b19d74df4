using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Tests.Api;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Npgsql;

namespace Catwalk.Tests.Machines.Local;

/// <summary>
/// A hostile MCP server (Catwalk.Tests/McpServers/hostile-server) deployed through the API on the local runtime, in its
/// bubblewrap sandbox with small limits, tries every escape; an ordinary server-everything deployment runs beside it.
/// </summary>
public sealed class HostileServerTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxProcesses = 64;
    private const int MemoryMb = 256;
    private readonly ApiHost _host = new(postgres);
    private SharedDeployment _ordinary = null!;
    private McpClient _hostile = null!;
    private McpClient _bystander = null!;

    public async ValueTask InitializeAsync()
    {
        _host.ExtraSettings[LocalSandboxOptions.MaxProcessesVariable] = MaxProcesses.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _host.ExtraSettings[LocalSandboxOptions.MemoryMbVariable] = MemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _host.InitializeAsync();
        _ordinary = await _host.CreateRunningAsync(_host.UserB, "ordinary");
        _bystander = await _host.ConnectAsync(_ordinary.EndpointUrl, _ordinary.AccessToken);

        using var client = _host.Client(_host.UserA.Token);
        using var response = await client.PostAsJsonAsync("/api/deployments", new
        {
            name = "hostile",
            package = McpServerPackages.Hostile,
            runtime = "npm",
            env = new Dictionary<string, string> { ["HOSTILE_OWN_SECRET"] = "its-own-value" },
        }, TestContext.Current.CancellationToken);
        var created = await ApiHost.ReadJsonAsync(response);
        await _host.WaitForStatusAsync(_host.UserA, Guid.Parse(created["id"]!.GetValue<string>()), "Running");
        _hostile = await _host.ConnectAsync(new Uri(created["endpointUrl"]!.GetValue<string>()), created["accessToken"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await _hostile.DisposeAsync();
        await _bystander.DisposeAsync();
        await _host.DisposeAsync();
    }

    private string DataDirectory => _host.App.Settings[Core.Hosting.DataDirectory.Variable]!;

    [Fact]
    public async Task The_server_runs_as_an_unprivileged_uid_of_its_own_and_sees_only_its_own_processes()
    {
        var seen = await AttemptAsync("whoami");

        output.WriteLine($"The hostile server sees: {seen.ToJsonString()}");
        var uid = seen["uid"]!.GetValue<int>();
        uid.Should().NotBe(0).And.NotBe(CurrentUid(), "the server never runs as root nor as Catwalk's own user");
        seen["home"]!.GetValue<string>().Should().Be("/home/mcp");
        var processes = seen["processes"]!.AsArray().Select(process => process!.GetValue<string>()).ToList();
        processes.Should().Contain(process => process.Contains("catwalk-test-hostile-server", StringComparison.Ordinal));
        processes.Should().NotContain(process => process.Contains("server-everything", StringComparison.Ordinal) || process.Contains("dotnet", StringComparison.Ordinal) || process.Contains("postgres", StringComparison.Ordinal),
            "its pid namespace shows neither Catwalk, nor the database, nor another deployment's server");
        processes.Count.Should().BeLessThan(10);
        await BystanderStillWorksAsync();
    }

    [Fact]
    public async Task Catwalks_data_directory_key_file_and_cluster_password_do_not_exist_for_the_server()
    {
        var keyFile = Path.Combine(DataDirectory, DevelopmentEncryptionKeyFile.FileName);
        var clusterPassword = Path.Combine(Path.GetDirectoryName(postgres.Cluster.DataDirectory)!, "superuser.password");
        File.Exists(keyFile).Should().BeTrue("the app generated its development key there, so the attempt below means something");
        File.Exists(clusterPassword).Should().BeTrue();

        foreach (var (kind, target) in new[] { ("list", DataDirectory), ("read", keyFile), ("read", clusterPassword), ("list", postgres.Cluster.DataDirectory), ("list", AppContext.BaseDirectory), ("read", "/etc/shadow") })
        {
            var seen = await AttemptAsync(kind, target);
            seen["ok"]!.GetValue<bool>().Should().BeFalse($"{kind} {target} must fail, it saw {seen.ToJsonString()}");
            seen["error"]!.GetValue<string>().Should().Be("ENOENT", $"{target} is not even there inside the sandbox");
        }

        await BystanderStillWorksAsync();
    }

    [Fact]
    public async Task No_other_process_environment_is_readable_so_another_deployments_credential_stays_hidden()
    {
        var other = await AttemptAsync("environ", _ordinary.Secret);
        var own = await AttemptAsync("environ", "its-own-value");

        other["ok"]!.GetValue<bool>().Should().BeFalse("another deployment's credential must not be found in any readable environment");
        own["ok"]!.GetValue<bool>().Should().BeTrue("its own credential is in its own environment, so the search works");
        await BystanderStillWorksAsync();
    }

    [Fact]
    public async Task Another_deployments_bridge_refuses_it_and_the_database_asks_for_a_password_it_cannot_know()
    {
        var runtime = _host.App.Services.GetRequiredService<MachineRuntimes>().For(RuntimeKind.Local);
        runtime.TryGetUpstream(LocalMachineId.For(_ordinary.Id), out var upstream).Should().BeTrue();
        var database = new NpgsqlConnectionStringBuilder(_host.App.Settings["DATABASE_URL"]);

        var bridge = await AttemptAsync("http", new Uri(upstream!.BaseUrl, "mcp").AbsoluteUri);
        var postgresReply = await AttemptAsync("postgres", $"{database.Host}:{database.Port}");

        bridge["status"]!.GetValue<int>().Should().Be(401, $"the bridge answers only the forwarder: {bridge.ToJsonString()}");
        postgresReply["connected"]!.GetValue<bool>().Should().BeTrue("the database port is reachable on the shared loopback");
        postgresReply["authentication"]!.GetValue<int>().Should().NotBe(0, "the cluster wants a password (SCRAM), which the sandbox cannot read");
        await BystanderStillWorksAsync();
    }

    [Fact]
    public async Task It_writes_only_in_its_home_and_tmp()
    {
        foreach (var target in new[] { Path.Combine(McpServerPackages.Directory, "pwned"), Path.Combine(DataDirectory, "pwned"), "/usr/lib/pwned", "/etc/pwned" })
        {
            var seen = await AttemptAsync("write", target);
            seen["ok"]!.GetValue<bool>().Should().BeFalse($"writing {target} must fail: {seen.ToJsonString()}");
            File.Exists(target).Should().BeFalse();
        }

        (await AttemptAsync("write", "/home/mcp/notes.txt"))["ok"]!.GetValue<bool>().Should().BeTrue("its home is its own to write");
        (await AttemptAsync("write", "/tmp/scratch"))["ok"]!.GetValue<bool>().Should().BeTrue();
        await BystanderStillWorksAsync();
    }

    [Fact]
    public async Task Forking_and_allocating_past_the_limits_fail_inside_the_server_and_nowhere_else()
    {
        var fork = await AttemptAsync("fork", max: 1000);
        var allocation = await AttemptAsync("allocate", max: 4096);

        output.WriteLine($"fork: {fork.ToJsonString()}; allocate: {allocation.ToJsonString()}");
        fork["ok"]!.GetValue<bool>().Should().BeFalse();
        fork["error"]!.GetValue<string>().Should().Be("EAGAIN", "the process limit refuses the next process");
        fork["started"]!.GetValue<int>().Should().BeGreaterThan(0).And.BeLessThan(MaxProcesses);
        allocation["ok"]!.GetValue<bool>().Should().BeFalse();
        allocation["allocatedMb"]!.GetValue<int>().Should().BeLessThan(MemoryMb, "the memory limit stops the allocation");
        (await AttemptAsync("whoami"))["uid"]!.GetValue<int>().Should().NotBe(0, "the server itself survives and still answers");
        await BystanderStillWorksAsync();
    }

    private async Task<JsonNode> AttemptAsync(string kind, string? target = null, int? max = null)
    {
        var arguments = new Dictionary<string, object?> { ["kind"] = kind, ["target"] = target, ["max"] = max };
        var result = await _hostile.CallToolAsync("attempt", arguments, cancellationToken: TestContext.Current.CancellationToken);
        return JsonNode.Parse(result.Content.OfType<TextContentBlock>().Single().Text)!;
    }

    private async Task BystanderStillWorksAsync()
    {
        var echo = await _bystander.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still here" }, cancellationToken: TestContext.Current.CancellationToken);
        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("still here");
    }

    private static int CurrentUid() => int.Parse(File.ReadAllLines("/proc/self/status").Single(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
