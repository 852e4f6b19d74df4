using System.Text.Json;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>package.json: the npm package's <c>name</c>, <c>version</c>, <c>description</c>, <c>bin</c> and <c>private</c>.</summary>
internal static class PackageJsonParser
{
    public static SourceFindings Parse(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.PackageManifest);
        using var document = JsonReading.TryParse(content);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return findings;
        }

        var root = document.RootElement;
        findings.Description = JsonReading.String(root, "description");
        findings.Version = JsonReading.String(root, "version");
        findings.RuntimeHint = PackageRuntime.Npm;
        var name = JsonReading.String(root, "name");
        if (name is not null && PackageNameRules.ValidatePackage(PackageRuntime.Npm, name) is null)
        {
            var bin = JsonReading.Property(root, "bin");
            findings.Packages.Add(new PackageCandidate(name, PackageRuntime.Npm, EvidenceKind.PackageManifest, path)
            {
                Version = findings.Version,
                IsPrivate = JsonReading.Bool(root, "private") == true,
                HasExecutable = bin is { ValueKind: JsonValueKind.String } || bin is { ValueKind: JsonValueKind.Object } o && o.EnumerateObject().Any(),
            });
        }

        return findings;
    }
}
