using System.Text.RegularExpressions;
using Catwalk.Core.Packages;
using Tomlyn;
using Tomlyn.Model;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>pyproject.toml: <c>[project]</c> (or Poetry's <c>[tool.poetry]</c>) name, version, description and scripts.</summary>
internal static partial class PyprojectParser
{
    public static SourceFindings Parse(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.PackageManifest) { RuntimeHint = PackageRuntime.Pypi };
        string? name;
        bool hasScripts;
        if (TryParse(content) is { } model)
        {
            var project = Table(model, "project") ?? Table(Table(model, "tool"), "poetry");
            name = Text(project, "name");
            findings.Version = Text(project, "version");
            findings.Description = Text(project, "description");
            hasScripts = Table(project, "scripts") is { Count: > 0 };
        }
        else
        {
            // A file Tomlyn rejects may still have a readable [project] table.
            var match = ProjectName().Match(content);
            name = match.Success ? match.Groups["name"].Value : null;
            hasScripts = content.Contains("[project.scripts]", StringComparison.Ordinal);
        }

        if (name is not null && PackageNameRules.ValidatePackage(PackageRuntime.Pypi, name) is null)
        {
            findings.Packages.Add(new PackageCandidate(name, PackageRuntime.Pypi, EvidenceKind.PackageManifest, path)
            {
                Version = findings.Version,
                HasExecutable = hasScripts,
            });
        }

        return findings;
    }

    private static TomlTable? TryParse(string content)
    {
        try
        {
            return TomlSerializer.Deserialize<TomlTable>(content);
        }
        catch (TomlException)
        {
            return null;
        }
    }

    private static TomlTable? Table(TomlTable? parent, string key) =>
        parent is not null && parent.TryGetValue(key, out var value) ? value as TomlTable : null;

    private static string? Text(TomlTable? table, string key) =>
        table is not null && table.TryGetValue(key, out var value) && value is string s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    [GeneratedRegex(@"^\[project\][^\[]*?^name\s*=\s*[""'](?<name>[^""']+)[""']", RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ProjectName();
}
