using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Deploy;

/// <summary>
/// What another machine on Fly's private network meets: the machine image's real entrypoint (deploy/mcp-entrypoint.sh)
/// running the real npm mcp-proxy (the version the Dockerfile installs) in front of server-everything, on loopback.
/// Only <c>npx</c> is a stand-in, starting the installed server-everything instead of downloading it.
/// </summary>
public sealed class McpImageProxyTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "catwalk-image-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _secret = MachineSecret.Generate();
    private readonly StringBuilder _output = new();
    private Process? _machine;
    private Uri _base = null!;

    public async ValueTask InitializeAsync()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var modules = Path.Combine(McpServerPackages.Directory, "node_modules");
        File.CreateSymbolicLink(Path.Combine(bin, "mcp-proxy"), Path.Combine(modules, "mcp-proxy", "dist", "bin", "mcp-proxy.mjs"));
        var npx = Path.Combine(bin, "npx");
        File.WriteAllText(npx, $"#!/bin/sh\nexec node '{Path.Combine(modules, ".bin", "mcp-server-everything")}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(npx, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var port = FreePort();
        _base = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        start.ArgumentList.Add(RepositoryFiles.PathOf("deploy/mcp-entrypoint.sh"));
        start.Environment.Clear();
        start.Environment["PATH"] = bin + ":/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = _dir;
        start.Environment["MCP_RUNTIME"] = "npm";
        start.Environment["MCP_PACKAGE"] = McpServerPackages.Everything;
        start.Environment["DEPLOYMENT_ID"] = Guid.NewGuid().ToString();
        start.Environment[FlyMachineConfigs.MachineSecretVariable] = _secret;
        start.Environment["MCP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _machine = Process.Start(start)!;
        _machine.OutputDataReceived += (_, e) => Append(e.Data);
        _machine.ErrorDataReceived += (_, e) => Append(e.Data);
        _machine.BeginOutputReadLine();
        _machine.BeginErrorReadLine();

        await Eventually.Until(async () => _machine.HasExited || await PingsAsync(), "the machine answers its health path",
            TimeSpan.FromSeconds(60));
        _machine.HasExited.Should().BeFalse("the entrypoint must run mcp-proxy: {0}", Output);
    }

    [Fact]
    public async Task The_health_path_answers_without_the_secret()
    {
        using var response = await Http.GetAsync(new Uri(_base, FlyMachineConfigs.HealthPath), TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mcp_without_the_secret_is_refused_with_401()
    {
        using var response = await Http.SendAsync(Initialize(key: null), TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().NotContain("serverInfo");
    }

    [Fact]
    public async Task Mcp_with_another_machines_secret_or_in_catwalks_local_header_is_refused_with_401()
    {
        using var wrong = await Http.SendAsync(Initialize(MachineSecret.Generate()), TestContext.Current.CancellationToken);
        using var otherHeader = Initialize(key: null);
        otherHeader.Headers.Add(MachineSecret.HeaderName, _secret);
        using var inOtherHeader = await Http.SendAsync(otherHeader, TestContext.Current.CancellationToken);

        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        inOtherHeader.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the image checks only {0}", FlyMachineConfigs.MachineSecretHeader);
    }

    [Fact]
    public async Task Mcp_with_the_machines_secret_initializes_server_everything()
    {
        using var response = await Http.SendAsync(Initialize(_secret), TestContext.Current.CancellationToken);

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("\"serverInfo\"").And.Contain("everything");
        response.Headers.Contains("Mcp-Session-Id").Should().BeTrue();
    }

    [Fact]
    public async Task Paths_other_than_health_need_the_secret_too()
    {
        using var legacySse = await Http.GetAsync(new Uri(_base, "sse"), TestContext.Current.CancellationToken);

        legacySse.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    public ValueTask DisposeAsync()
    {
        if (_machine is { HasExited: false })
        {
            _machine.Kill(entireProcessTree: true);
            _machine.WaitForExit(10_000);
        }

        _machine?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private HttpRequestMessage Initialize(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, "mcp"))
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"image-test","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (key is not null)
        {
            request.Headers.Add(FlyMachineConfigs.MachineSecretHeader, key);
        }

        return request;
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(_base, FlyMachineConfigs.HealthPath), TestContext.Current.CancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
