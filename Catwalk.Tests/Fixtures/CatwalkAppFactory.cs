using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Fixtures;

/// <summary>
/// The real Catwalk.Web host on Kestrel over loopback, against a fresh database of the test run's cluster.
/// Tests add settings (fake API base URLs, keys) through <see cref="Settings"/> before the first use.
/// </summary>
public sealed class CatwalkAppFactory : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "catwalk-app-" + Guid.NewGuid().ToString("N")[..12]);

    public CatwalkAppFactory(string connectionString, string environment = "Development")
    {
        Environment = environment;
        Settings["DATABASE_URL"] = connectionString;
        Settings["CATWALK_DATA_DIR"] = _dataDirectory;
        // npx resolves the test MCP servers from this folder's node_modules: no test waits on a download.
        Settings["CATWALK_LOCAL_WORKDIR"] = McpServerPackages.Directory;
        if (environment != "Development")
        {
            // Outside Development a key is required; tests that need it missing set it to "".
            Settings["ENCRYPTION_KEY"] = Catwalk.Core.Credentials.FernetKey.Generate().Export();
        }
        // Warnings and errors only (the app's own quieter categories stay as appsettings.json sets them), and none of
        // them on the console: a failed run's report ends with the test process's whole standard output, and CI keeps
        // only its tail, which must be the failure, not warnings from the hundreds of hosts around it.
        // Tests that read log lines use CapturedLogs, whose own level is Debug.
        Settings["Logging:LogLevel:Default"] = "Warning";
        Settings["Logging:Console:LogLevel:Default"] = "None";
        UseKestrel(0);
    }

    public string Environment { get; }

    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra registrations applied after the app's own (for example a logger provider that captures log lines).</summary>
    public Action<IServiceCollection>? ExtraServices { get; set; }

    /// <summary>The loopback address the app listens on (starts the server on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (ExtraServices is { } extra)
        {
            builder.ConfigureServices(extra);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
