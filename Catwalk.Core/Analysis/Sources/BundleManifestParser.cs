using System.Text.Json;
using System.Text.RegularExpressions;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// manifest.json of an MCP bundle (formerly DXT): <c>server.mcp_config.env</c> maps environment variables to
/// <c>${user_config.x}</c>, and <c>user_config.x</c> says whether it is required or sensitive. Also the tools list.
/// </summary>
internal static partial class BundleManifestParser
{
    public static SourceFindings Parse(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.Bundle);
        using var document = JsonReading.TryParse(content);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return findings;
        }

        var root = document.RootElement;
        // Not every manifest.json is a bundle manifest (browser extensions, PWAs): require the bundle's shape.
        var server = JsonReading.Property(root, "server");
        if (server is not { ValueKind: JsonValueKind.Object } && JsonReading.Property(root, "user_config", "tools") is null)
        {
            return findings;
        }

        findings.ServerName = JsonReading.String(root, "display_name");
        findings.Description = JsonReading.String(root, "description");
        findings.Version = JsonReading.String(root, "version");
        findings.RuntimeHint = server is { } s ? JsonReading.String(s, "type") switch
        {
            "node" => PackageRuntime.Npm,
            "python" or "uv" => PackageRuntime.Pypi,
            _ => null,
        } : null;

        var userConfig = JsonReading.Property(root, "user_config");
        var env = server is { } srv && JsonReading.Property(srv, "mcp_config") is { } config ? JsonReading.Property(config, "env") : null;
        if (env is { ValueKind: JsonValueKind.Object } environment)
        {
            foreach (var variable in environment.EnumerateObject())
            {
                // Only variables the user configures; fixed values such as PYTHONPATH=${__dirname}/lib are the bundle's own.
                var reference = UserConfigReference().Match(variable.Value.ValueKind == JsonValueKind.String ? variable.Value.GetString()! : "");
                if (!reference.Success || PackageNameRules.ValidateEnvironmentVariableName(variable.Name) is not null)
                {
                    continue;
                }

                var setting = userConfig is { } uc ? JsonReading.Property(uc, reference.Groups["key"].Value) : null;
                findings.EnvVars.Add(new EnvVarFinding(variable.Name, EvidenceKind.Bundle, path)
                {
                    Description = setting is { } d ? JsonReading.String(d, "description") ?? JsonReading.String(d, "title") : null,
                    Required = setting is { } r ? JsonReading.Bool(r, "required") ?? false : null,
                    Secret = setting is { } x ? JsonReading.Bool(x, "sensitive") : null,
                    Default = setting is { } f && JsonReading.Scalar(JsonReading.Property(f, "default")) is { } value && !value.Contains("${", StringComparison.Ordinal) ? value : null,
                });
            }
        }

        foreach (var tool in JsonReading.Array(root, "tools"))
        {
            if (JsonReading.String(tool, "name") is { } name)
            {
                findings.Tools.Add(new ToolSpec { Name = name, Description = JsonReading.String(tool, "description") });
            }
        }

        return findings;
    }

    [GeneratedRegex(@"^\s*\$\{\s*user_config\.(?<key>[A-Za-z0-9_\-]+)\s*\}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex UserConfigReference();
}
