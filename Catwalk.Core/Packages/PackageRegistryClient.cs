using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Catwalk.Core.GitHub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Packages;

/// <summary>
/// Reads the npm registry's package documents (<c>GET /{name}</c>, abbreviated metadata) and PyPI's JSON API
/// (<c>GET /pypi/{name}/json</c>). Names are validated by <see cref="PackageNameRules"/> before they reach a URL.
/// </summary>
public sealed partial class PackageRegistryClient(HttpClient http, IOptions<PackageRegistryOptions> options, ILogger<PackageRegistryClient> logger)
    : IPackageRegistry
{
    public async Task<PackageCheck> CheckAsync(PackageRuntime runtime, string name, CancellationToken cancellationToken)
    {
        if (PackageNameRules.ValidatePackage(runtime, name) is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(name));
        }

        return runtime == PackageRuntime.Npm
            ? await CheckNpmAsync(name, cancellationToken)
            : await CheckPypiAsync(name, cancellationToken);
    }

    private async Task<PackageCheck> CheckNpmAsync(string name, CancellationToken cancellationToken)
    {
        // Scoped names keep the '@' and escape the '/': @scope%2Fname.
        var path = name.StartsWith('@') ? "@" + Uri.EscapeDataString(name[1..]) : Uri.EscapeDataString(name);
        var url = new Uri(WithSlash(options.Value.NpmRegistryUrl), path);
        using var document = await GetJsonAsync(url, PackageRuntime.Npm, name, "application/vnd.npm.install-v1+json", cancellationToken);
        if (document is null)
        {
            return PackageCheck.Missing(PackageRuntime.Npm, name);
        }

        var root = document.RootElement;
        var latest = root.TryGetProperty("dist-tags", out var tags) && tags.TryGetProperty("latest", out var l) && l.ValueKind == JsonValueKind.String
            ? l.GetString()
            : null;
        var executables = new List<string>();
        string? description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (latest is not null && root.TryGetProperty("versions", out var versions) && versions.TryGetProperty(latest, out var manifest))
        {
            if (manifest.TryGetProperty("bin", out var bin))
            {
                if (bin.ValueKind == JsonValueKind.Object)
                {
                    executables.AddRange(bin.EnumerateObject().Select(p => p.Name));
                }
                else if (bin.ValueKind == JsonValueKind.String)
                {
                    // "bin": "cli.js" means one executable named after the package (without its scope).
                    executables.Add(name.Contains('/', StringComparison.Ordinal) ? name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..] : name);
                }
            }

            if (description is null && manifest.TryGetProperty("description", out var md) && md.ValueKind == JsonValueKind.String)
            {
                description = md.GetString();
            }
        }

        return new PackageCheck(PackageRuntime.Npm, name, true, latest, executables, description);
    }

    private async Task<PackageCheck> CheckPypiAsync(string name, CancellationToken cancellationToken)
    {
        var url = new Uri(WithSlash(options.Value.PypiBaseUrl), $"pypi/{Uri.EscapeDataString(name)}/json");
        using var document = await GetJsonAsync(url, PackageRuntime.Pypi, name, "application/json", cancellationToken);
        if (document is null)
        {
            return PackageCheck.Missing(PackageRuntime.Pypi, name);
        }

        var info = document.RootElement.TryGetProperty("info", out var i) ? i : default;
        string? Read(string property) =>
            info.ValueKind == JsonValueKind.Object && info.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new PackageCheck(PackageRuntime.Pypi, Read("name") ?? name, true, Read("version"), [], Read("summary"));
    }

    private async Task<JsonDocument?> GetJsonAsync(Uri url, PackageRuntime runtime, string name, string accept, CancellationToken cancellationToken)
    {
        var registry = PackageCheck.RegistryName(runtime);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (UpstreamFailure.IsTransport(ex, cancellationToken))
        {
            LogUnreachable(logger, registry, ex.Message);
            throw new PackageRegistryUnavailableException($"{registry} ({url.GetLeftPart(UriPartial.Authority)}) could not be reached to check '{name}': {ex.Message}", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                LogUnexpectedStatus(logger, registry, name, (int)response.StatusCode);
                throw new PackageRegistryUnavailableException($"{registry} answered {(int)response.StatusCode} {response.ReasonPhrase} when asked about '{name}'.");
            }

            try
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (JsonException ex)
            {
                throw new PackageRegistryUnavailableException($"{registry} sent a response that is not JSON when asked about '{name}'.", ex);
            }
        }
    }

    private static Uri WithSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Registry} registry could not be reached: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string registry, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Registry} registry answered {Status} for {Package}")]
    private static partial void LogUnexpectedStatus(ILogger logger, string registry, string package, int status);
}
