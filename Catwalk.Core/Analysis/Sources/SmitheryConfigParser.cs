using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// smithery.yaml: <c>startCommand.configSchema</c> (JSON Schema of the user's settings) and <c>commandFunction</c>,
/// whose <c>env: { NAME: config.property }</c> maps settings to environment variables.
/// </summary>
internal static partial class SmitheryConfigParser
{
    public static SourceFindings Parse(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.Smithery);
        if (Load(content) is not Dictionary<object, object> root
            || root.GetValueOrDefault("startCommand") is not Dictionary<object, object> start)
        {
            return findings;
        }

        var schema = start.GetValueOrDefault("configSchema") as Dictionary<object, object>;
        var properties = schema?.GetValueOrDefault("properties") as Dictionary<object, object> ?? [];
        var required = (schema?.GetValueOrDefault("required") as List<object> ?? []).Select(r => r?.ToString()).ToHashSet(StringComparer.Ordinal);
        var commandFunction = start.GetValueOrDefault("commandFunction") as string ?? "";
        findings.Arguments = SmitheryArguments.Read(commandFunction);

        // NAME: config.property, NAME: String(config.property), NAME: config['property'], "NAME": config.property ? … : …
        var mapped = new List<(string Env, string Property)>();
        foreach (Match match in EnvMapping().Matches(commandFunction))
        {
            var env = match.Groups["env"].Value;
            var property = match.Groups["prop"].Value;
            if (!mapped.Any(m => m.Env == env))
            {
                mapped.Add((env, property));
            }
        }

        // Without a visible mapping, properties named like environment variables are taken to be passed as such.
        if (mapped.Count == 0 && !commandFunction.Contains("args", StringComparison.Ordinal))
        {
            mapped.AddRange(properties.Keys.Select(k => k.ToString()!).Where(k => EnvVarHeuristics.LooksLikeEnvName(k, allowSingleWord: false)).Select(k => (k, k)));
        }

        foreach (var (env, property) in mapped)
        {
            if (Catwalk.Core.Packages.PackageNameRules.ValidateEnvironmentVariableName(env) is not null)
            {
                continue;
            }

            var definition = properties.GetValueOrDefault(property) as Dictionary<object, object>;
            var format = definition?.GetValueOrDefault("format") as string;
            findings.EnvVars.Add(new EnvVarFinding(env, EvidenceKind.Smithery, path)
            {
                Description = (definition?.GetValueOrDefault("description") ?? definition?.GetValueOrDefault("title")) as string,
                Required = required.Contains(property),
                Secret = format is "password" ? true : null,
                Default = definition?.GetValueOrDefault("default") is { } d and not (Dictionary<object, object> or List<object>) ? d.ToString() : null,
            });
        }

        return findings;
    }

    private static object? Load(string content)
    {
        try
        {
            return new DeserializerBuilder().Build().Deserialize<object>(content);
        }
        catch (YamlException)
        {
            return null;
        }
    }

    // NAME: config.x, "NAME": String(config.x), env.NAME = config.x, env["NAME"] = config['x']
    [GeneratedRegex(@"(?:[""']?(?<env>[A-Z][A-Z0-9_]*)[""']?\s*:|\benv(?:\.(?<env>[A-Z][A-Z0-9_]*)|\[\s*[""'](?<env>[A-Z][A-Z0-9_]*)[""']\s*\])\s*=)\s*(?:String\s*\(\s*|`\$\{\s*)?config(?:\.(?<prop>[A-Za-z0-9_$]+)|\[\s*[""'](?<prop>[^""']+)[""']\s*\])", RegexOptions.CultureInvariant)]
    private static partial Regex EnvMapping();
}
