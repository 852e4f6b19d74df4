using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Catwalk.Tests.Fakes.Registries;

/// <summary>
/// A loopback fake of the npm registry (<c>GET {npm}/{name}</c>, scoped names as <c>@scope%2Fname</c>, answering
/// the abbreviated metadata document) and PyPI's JSON API (<c>GET {pypi}/pypi/{name}/json</c>), on one port.
/// </summary>
public sealed class FakePackageRegistryServer : IAsyncDisposable
{
    private KestrelLoopbackHost? _host;

    /// <summary>npm packages by name: latest version and executables (bin names; empty means no bin).</summary>
    public ConcurrentDictionary<string, (string Latest, string[] Bins)> Npm { get; } = new(StringComparer.Ordinal);

    /// <summary>PyPI projects by name (compared the PEP 503 way) and their latest version.</summary>
    public ConcurrentDictionary<string, string> Pypi { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every name exists (npm with one executable): for measuring extraction, not existence.</summary>
    public bool KnowsEveryPackage { get; set; }

    /// <summary>When set, every request gets 503.</summary>
    public bool Unavailable { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public Uri NpmRegistryUrl => new(_host!.BaseAddress, "npm/");

    public Uri PypiBaseUrl => new(_host!.BaseAddress, "pypi-api/");

    public static async Task<FakePackageRegistryServer> StartAsync()
    {
        var server = new FakePackageRegistryServer();
        server._host = await KestrelLoopbackHost.StartAsync(app => app.Run(server.HandleAsync));
        return server;
    }

    public void AddNpm(string name, string latest = "1.0.0", params string[] bins) =>
        Npm[name] = (latest, bins.Length == 0 ? [name.Split('/')[^1]] : bins);

    public void AddPypi(string name, string latest = "1.0.0") => Pypi[Normalize(name)] = latest;

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget.Split('?')[0];
        Requests.Enqueue(raw);
        if (Unavailable)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("Service Unavailable");
            return;
        }

        if (raw.StartsWith("/npm/", StringComparison.Ordinal))
        {
            var name = Uri.UnescapeDataString(raw["/npm/".Length..]);
            if (!Npm.TryGetValue(name, out var package) && KnowsEveryPackage)
            {
                package = ("1.0.0", [name.Split('/')[^1]]);
            }

            if (package.Latest is not null)
            {
                var bin = package.Bins.ToDictionary(b => b, b => "dist/index.js");
                await Json(context, 200, new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["modified"] = "2026-01-01T00:00:00.000Z",
                    ["dist-tags"] = new { latest = package.Latest },
                    ["versions"] = new Dictionary<string, object>
                    {
                        [package.Latest] = package.Bins.Length == 0
                            ? new { name, version = package.Latest }
                            : new { name, version = package.Latest, bin },
                    },
                });
                return;
            }

            await Json(context, 404, new { error = "Not found" });
            return;
        }

        var segments = raw.Trim('/').Split('/');
        if (segments.Length == 4 && segments[0] == "pypi-api" && segments[1] == "pypi" && segments[3] == "json")
        {
            var name = Uri.UnescapeDataString(segments[2]);
            if (!Pypi.TryGetValue(Normalize(name), out var version) && KnowsEveryPackage)
            {
                version = "1.0.0";
            }

            if (version is not null)
            {
                await Json(context, 200, new
                {
                    info = new { name, version, summary = $"{name} summary", requires_python = ">=3.10" },
                    releases = new Dictionary<string, object[]> { [version] = [] },
                });
                return;
            }

            await Json(context, 404, new { message = "Not Found" });
            return;
        }

        await Json(context, 404, new { error = "Not found" });
    }

    private static string Normalize(string name) =>
        string.Join('-', name.ToLowerInvariant().Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries));

    private static async Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
