using System.Text.Json;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// server.json, the official MCP registry format: <c>packages[]</c> with <c>registryType</c>, <c>identifier</c>,
/// <c>version</c> and <c>environmentVariables[]</c>. Older files use snake_case keys; both are read.
/// </summary>
internal static class ServerJsonParser
{
    public static SourceFindings Parse(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.Registry);
        using var document = JsonReading.TryParse(content);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return findings;
        }

        var root = document.RootElement;
        findings.ServerName = JsonReading.String(root, "title") ?? ShortName(JsonReading.String(root, "name"));
        findings.Description = JsonReading.String(root, "description");
        findings.Version = JsonReading.String(root, "version");

        // stdio packages first: that is what Catwalk runs.
        var packages = JsonReading.Array(root, "packages")
            .OrderBy(p => TransportType(p) is null or "stdio" ? 0 : 1)
            .ToList();
        foreach (var package in packages)
        {
            var runtime = PackageRuntimeJsonConverter.Parse(JsonReading.String(package, "registryType", "registry_type", "registry_name", "registryName"));
            var identifier = JsonReading.String(package, "identifier", "name");
            if (runtime is not { } r || identifier is null || PackageNameRules.ValidatePackage(r, identifier) is not null)
            {
                continue;
            }

            findings.Packages.Add(new PackageCandidate(identifier, r, EvidenceKind.Registry, path)
            {
                Version = JsonReading.String(package, "version") ?? findings.Version,
                Arguments = ServerJsonArguments.Read(package, findings),
            });

            foreach (var variable in JsonReading.Array(package, "environmentVariables", "environment_variables"))
            {
                var name = JsonReading.String(variable, "name");
                if (name is null || PackageNameRules.ValidateEnvironmentVariableName(name) is not null
                    || findings.EnvVars.Any(e => e.Name == name))
                {
                    continue;
                }

                findings.EnvVars.Add(new EnvVarFinding(name, EvidenceKind.Registry, path)
                {
                    Description = JsonReading.String(variable, "description"),
                    Required = JsonReading.Bool(variable, "isRequired", "is_required") ?? false,
                    Secret = JsonReading.Bool(variable, "isSecret", "is_secret"),
                    Default = JsonReading.Scalar(JsonReading.Property(variable, "default", "value")) is { } d && !d.Contains('{', StringComparison.Ordinal) ? d : null,
                });
            }
        }

        return findings;
    }

    private static string? TransportType(JsonElement package) =>
        JsonReading.Property(package, "transport") is { } transport ? JsonReading.String(transport, "type") : null;

    /// <summary>"io.github.owner/server-name" becomes "server-name".</summary>
    private static string? ShortName(string? name) =>
        name is null ? null : name.Contains('/', StringComparison.Ordinal) ? name[(name.LastIndexOf('/') + 1)..] : name;
}
