using Catwalk.Core.Analysis.Reading;
using Catwalk.Core.Analysis.Sources;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis;

/// <summary>
/// Combines what each file says, with a fixed precedence: registry metadata (server.json) over manifests
/// (manifest.json, package.json, pyproject.toml, smithery.yaml, .env.example) over README config examples over
/// README prose over source code. Every field remembers the file it came from.
/// </summary>
internal static class DeterministicAnalyzer
{
    public static AnalysisDraft Analyze(RepositorySnapshot snapshot)
    {
        var draft = new AnalysisDraft { RepoUrl = snapshot.Url.Normalized };
        draft.FilesRead.AddRange(snapshot.Files.Select(f => f.Path));
        draft.AllText = string.Join('\n', snapshot.Files.Select(f => f.Content));
        if (snapshot.TreeTruncated)
        {
            draft.Warnings.Add("The repository is very large: GitHub listed only part of its files, so some may not have been read.");
        }

        var findings = snapshot.Files.SelectMany(Parse).ToList();
        draft.Warnings.AddRange(findings.SelectMany(f => f.Warnings));
        ChoosePackages(draft, findings, snapshot);
        MergeEnv(draft, findings);
        MergeTools(draft, findings);
        DescribeServer(draft, findings, snapshot);
        return draft;
    }

    internal static IEnumerable<SourceFindings> Parse(RepositoryFile file) => file.Kind switch
    {
        RepositoryFileKind.Readme => ReadmeParser.Parse(file.Path, file.Content),
        RepositoryFileKind.ServerJson => [ServerJsonParser.Parse(file.Path, file.Content)],
        RepositoryFileKind.PackageJson => [PackageJsonParser.Parse(file.Path, file.Content)],
        RepositoryFileKind.Pyproject => [PyprojectParser.Parse(file.Path, file.Content)],
        RepositoryFileKind.Smithery => [SmitheryConfigParser.Parse(file.Path, file.Content)],
        RepositoryFileKind.BundleManifest => [BundleManifestParser.Parse(file.Path, file.Content)],
        RepositoryFileKind.EnvExample => [EnvFileParser.Parse(file.Path, file.Content)],
        RepositoryFileKind.Source => [SourceCodeScanner.Scan(file.Path, file.Content)],
        _ => [],
    };

    private static void ChoosePackages(AnalysisDraft draft, List<SourceFindings> findings, RepositorySnapshot snapshot)
    {
        var all = findings.SelectMany(f => f.Packages).ToList();
        var readme = all.Where(p => p.Kind == EvidenceKind.ReadmeConfig).ToList();
        var manifests = all.Where(p => p.Kind == EvidenceKind.PackageManifest).ToList();
        var hint = findings.FirstOrDefault(f => f.Kind == EvidenceKind.Bundle)?.RuntimeHint;

        var ordered = new List<PackageCandidate>();
        ordered.AddRange(all.Where(p => p.Kind == EvidenceKind.Registry));
        // When a repository has both package.json and pyproject.toml, the one the README runs wins; then the one
        // that declares an executable; then the bundle's runtime.
        ordered.AddRange(manifests.Where(p => !p.IsPrivate)
            .OrderByDescending(p => readme.Any(r => SameName(r, p)))
            .ThenByDescending(p => p.HasExecutable == true)
            .ThenByDescending(p => p.Runtime == hint)
            .ThenBy(p => p.Runtime));
        // README commands: those that look like this repository's package first.
        var names = RepositoryNames(snapshot);
        ordered.AddRange(readme
            .Select((p, index) => (p, index))
            .OrderByDescending(x => names.Any(n => Unscoped(x.p.Name).Contains(n, StringComparison.OrdinalIgnoreCase) || n.Contains(Unscoped(x.p.Name), StringComparison.OrdinalIgnoreCase)))
            .ThenBy(x => x.index)
            .Select(x => x.p));
        ordered.AddRange(manifests.Where(p => p.IsPrivate));

        var smithery = findings.FirstOrDefault(f => f.Arguments is [_, ..]);
        foreach (var candidate in ordered)
        {
            if (!draft.Packages.Any(p => SameName(p, candidate)))
            {
                var declared = all.FirstOrDefault(p => SameName(p, candidate) && p.Version is not null && p.Kind is EvidenceKind.Registry or EvidenceKind.PackageManifest);
                var withVersion = candidate.Version is null && declared is not null ? candidate with { Version = declared.Version } : candidate;
                // A version in a run command (npx -y pkg@1.2.3) is a pin; a manifest's version only says what was released.
                var pinned = all.FirstOrDefault(p => SameName(p, candidate) && p.Kind == EvidenceKind.ReadmeConfig && p.Version is { } v && v != "latest")?.Version;
                withVersion = withVersion with { PinnedVersion = pinned };
                draft.Packages.Add(WithArguments(withVersion, all, smithery));
            }
        }
    }

    /// <summary>
    /// The arguments to propose for a package: server.json's when it declares some, else the first README command
    /// that runs this package over stdio with arguments, else smithery's commandFunction; none otherwise.
    /// </summary>
    private static PackageCandidate WithArguments(PackageCandidate candidate, List<PackageCandidate> all, SourceFindings? smithery)
    {
        var shown = all
            .Where(p => SameName(p, candidate) && p.Arguments is [_, ..])
            .OrderBy(p => p.Kind)
            .FirstOrDefault();
        if (shown is not null)
        {
            return candidate with { Arguments = shown.Arguments, ArgumentsSource = shown.Path };
        }

        return smithery is not null
            ? candidate with { Arguments = smithery.Arguments, ArgumentsSource = smithery.Path }
            : candidate with { Arguments = [], ArgumentsSource = null };
    }

    private static void MergeEnv(AnalysisDraft draft, List<SourceFindings> findings)
    {
        var byName = findings
            .SelectMany(f => f.EnvVars)
            .Where(e => EnvVarHeuristics.IsServerConfiguration(e.Name))
            .Select((e, index) => (e, index))
            .GroupBy(x => x.e.Name, StringComparer.Ordinal);

        var merged = new List<(DraftEnvVar Var, int FirstIndex)>();
        foreach (var group in byName)
        {
            if (IsTransportOnly(group.Select(x => x.e).ToList()))
            {
                continue;
            }

            var facts = group.OrderBy(x => x.e.Kind).ThenBy(x => x.index).Select(x => x.e).ToList();
            var strongest = facts[0];
            var variable = new DraftEnvVar(group.Key) { Source = strongest.Path, Strongest = strongest.Kind };
            variable.Description = facts.Select(f => f.Description).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
            variable.HasAlternative = facts.Any(f => f.HasAlternative);

            var declared = facts.FirstOrDefault(f => f.Kind is EvidenceKind.Registry or EvidenceKind.Bundle && f.Required is not null);
            if (declared is not null)
            {
                // The code's own evidence that another variable or a command-line argument can stand in wins over
                // a manifest's "required": the value then has two routes and the form should not force one.
                variable.Required = declared.Required!.Value && !facts.Any(f => f.Kind == EvidenceKind.Code && f.HasAlternative);
                variable.RequiredIsFact = true;
            }
            else
            {
                variable.Required = !variable.HasAlternative && (
                    facts.Any(f => f.Kind == EvidenceKind.Code && f.Required == true)
                    || !facts.Any(f => f.Kind == EvidenceKind.Code && (f.Default is not null || f.Required == false))
                        && facts.Any(f => f.Kind is EvidenceKind.ReadmeProse or EvidenceKind.Smithery && f.Required == true));
            }

            var secretFact = facts.FirstOrDefault(f => f.Kind is EvidenceKind.Registry or EvidenceKind.Bundle && f.Secret is not null)
                ?? facts.FirstOrDefault(f => f.Kind == EvidenceKind.Smithery && f.Secret == true);
            if (secretFact is not null)
            {
                variable.Secret = secretFact.Secret!.Value;
                variable.SecretIsFact = true;
            }
            else
            {
                // An example value such as /path/to/client-key.pem says the variable holds a path, not the secret itself.
                variable.Secret = EnvVarHeuristics.LooksSecret(group.Key, variable.Description)
                    && !facts.Any(f => f.Default is { } example && EnvVarHeuristics.LooksLikeFilePath(example))
                    || facts.Any(f => f.Example is { } example && EnvVarHeuristics.LooksLikeCredential(example));
            }

            // A secret's "default" in an example file is an example value; only declared defaults count for secrets.
            variable.Default = facts
                .Where(f => !variable.Secret || f.Kind is EvidenceKind.Registry or EvidenceKind.Bundle)
                .OrderBy(f => f.Kind switch
                {
                    EvidenceKind.Registry => 0,
                    EvidenceKind.Bundle => 1,
                    EvidenceKind.Smithery => 2,
                    EvidenceKind.Code => 3,
                    EvidenceKind.ReadmeProse => 4,
                    _ => 5,
                })
                .Select(f => f.Default)
                .FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
            merged.Add((variable, group.Min(x => x.index)));
        }

        draft.Env.AddRange(merged
            .OrderByDescending(m => m.Var.Required)
            .ThenBy(m => m.Var.Strongest)
            .ThenBy(m => m.FirstIndex)
            .Select(m => m.Var));
    }

    /// <summary>
    /// A variable is the HTTP transport's when every mention is about that mode, or when the server's code reads it
    /// only on its HTTP/SSE path and no stdio configuration (server.json, a bundle, smithery, a client config block)
    /// sets it: a README listing it among settings does not make it matter over stdio.
    /// </summary>
    private static bool IsTransportOnly(List<EnvVarFinding> facts)
    {
        if (facts.All(f => f.TransportOnly))
        {
            return true;
        }

        var code = facts.Where(f => f.Kind == EvidenceKind.Code).ToList();
        return code.Count > 0 && code.All(f => f.TransportOnly)
            && !facts.Any(f => !f.TransportOnly && f.Kind is EvidenceKind.Registry or EvidenceKind.Bundle or EvidenceKind.Smithery or EvidenceKind.ReadmeConfig);
    }

    private static void MergeTools(AnalysisDraft draft, List<SourceFindings> findings)
    {
        var ordered = findings
            .OrderBy(f => f.Kind switch { EvidenceKind.Bundle => 0, EvidenceKind.Registry => 1, EvidenceKind.Code => 2, _ => 3 });
        foreach (var source in ordered)
        {
            foreach (var tool in source.Tools)
            {
                var existing = draft.Tools.FindIndex(t => t.Tool.Name == tool.Name);
                if (existing < 0)
                {
                    draft.Tools.Add((tool, source.Path));
                }
                else if (draft.Tools[existing].Tool.Description is null && tool.Description is not null)
                {
                    draft.Tools[existing] = (draft.Tools[existing].Tool with { Description = tool.Description }, draft.Tools[existing].Source);
                }
            }
        }
    }

    private static void DescribeServer(AnalysisDraft draft, List<SourceFindings> findings, RepositorySnapshot snapshot)
    {
        var named = findings.Where(f => f.ServerName is not null).OrderBy(f => f.Kind == EvidenceKind.Bundle ? 0 : 1).FirstOrDefault();
        if (named is not null)
        {
            draft.ServerName = named.ServerName;
            draft.ServerNameSource = named.Path;
        }

        var described = findings
            .Where(f => f.Description is not null && f.Kind is EvidenceKind.Registry or EvidenceKind.Bundle or EvidenceKind.PackageManifest)
            .OrderBy(f => f.Kind)
            .FirstOrDefault();
        if (described is not null)
        {
            draft.Description = described.Description;
            draft.DescriptionSource = described.Path;
        }
        else if (snapshot.Url.Subdirectory is null && !string.IsNullOrWhiteSpace(snapshot.Repository.Description))
        {
            draft.Description = snapshot.Repository.Description;
            draft.DescriptionSource = "GitHub repository";
        }
    }

    private static List<string> RepositoryNames(RepositorySnapshot snapshot)
    {
        var names = new List<string> { snapshot.Url.Repository };
        if (snapshot.Url.Subdirectory is { } folder)
        {
            names.Insert(0, folder.Split('/')[^1]);
        }

        return names.Where(n => n.Length >= 3).ToList();
    }

    private static bool SameName(PackageCandidate a, PackageCandidate b) =>
        a.Runtime == b.Runtime && (a.Runtime == PackageRuntime.Npm
            ? string.Equals(a.Name, b.Name, StringComparison.Ordinal)
            : string.Equals(NormalizePypi(a.Name), NormalizePypi(b.Name), StringComparison.Ordinal));

    /// <summary>PyPI compares names case-insensitively with runs of '-', '_' and '.' equal (PEP 503).</summary>
    internal static string NormalizePypi(string name) =>
        string.Join('-', name.ToLowerInvariant().Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries));

    private static string Unscoped(string name) => name.Contains('/', StringComparison.Ordinal) ? name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..] : name;
}
