using System.Text;
using Catwalk.Core.Analysis;
using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;

namespace Catwalk.Web.Components.Deploy;

/// <summary>
/// What the wizard has gathered so far: filled from an analysis (or by hand), edited by the user, and turned into a
/// <see cref="CreateDeploymentRequest"/> at the deploy step. Credential values live here only until then.
/// </summary>
public sealed class DeployDraft
{
    public string? RepoUrl { get; set; }

    public string Name { get; set; } = "";

    public string Package { get; set; } = "";

    public string? Version { get; set; }

    public PackageRuntime Runtime { get; set; } = PackageRuntime.Npm;

    public List<EnvVarDraft> Env { get; } = [];

    /// <summary>What follows the package on the server's command line, in order.</summary>
    public List<ArgumentDraft> Args { get; } = [];

    /// <summary>Where each result field came from ("package" → "package.json"); empty when entered by hand.</summary>
    public Dictionary<string, string> FieldSources { get; } = new(StringComparer.Ordinal);

    /// <summary>The analysis the draft started from; null on the manual path.</summary>
    public RepositoryAnalysis? Analysis { get; private set; }

    public static DeployDraft FromAnalysis(RepositoryAnalysis analysis)
    {
        var draft = new DeployDraft
        {
            RepoUrl = analysis.RepoUrl,
            Name = Slug(analysis.Name),
            Package = analysis.Package ?? "",
            // Unpinned runs the latest release (the registry's latest is shown as a hint), so a cached analysis never pins an old one.
            Version = analysis.PinnedVersion,
            Runtime = analysis.Runtime ?? PackageRuntime.Npm,
            Analysis = analysis,
        };
        foreach (var source in analysis.Sources)
        {
            foreach (var field in source.Fields)
            {
                draft.FieldSources.TryAdd(field, source.Path);
            }
        }

        draft.Env.AddRange(analysis.Env.Select(e => new EnvVarDraft
        {
            Name = e.Name,
            Description = e.Description,
            Required = e.Required,
            Secret = e.Secret,
            Default = e.Default,
            Source = e.Source,
            Value = e.Default ?? "",
        }));
        draft.Args.AddRange(analysis.Args.Select(a => new ArgumentDraft { Value = a.Value, Source = a.Source }));

        // A credential an argument references (--api-key ${API_KEY}) is asked for like any other secret.
        foreach (var name in ServerArgumentRules.References(analysis.Args.Select(a => a.Value)))
        {
            if (!draft.Env.Any(e => e.Name == name))
            {
                var source = analysis.Args.First(a => a.Value.Contains(ServerArgumentRules.ReferenceTo(name), StringComparison.Ordinal)).Source;
                draft.Env.Add(new EnvVarDraft { Name = name, Description = "Passed to the server as a command-line argument.", Required = true, Secret = true, Source = source });
            }
        }

        return draft;
    }

    /// <summary>The manual path: only the repository (when it parsed) and a name from it.</summary>
    public static DeployDraft Manual(string? repoUrl, string? displayName) => new()
    {
        RepoUrl = repoUrl,
        Name = Slug(displayName?.Split('/').LastOrDefault() ?? ""),
    };

    /// <summary>Problems that stop the wizard from leaving the analysis step, by field; empty when it may go on.</summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        AddError(errors, "name", DeploymentRequestValidator.ValidateName(Name));
        AddError(errors, "package", PackageNameRules.ValidatePackage(Runtime, Package));
        AddError(errors, "version", PackageNameRules.ValidateVersion(Runtime, string.IsNullOrWhiteSpace(Version) ? null : Version.Trim()));
        foreach (var variable in Env)
        {
            AddError(errors, "env:" + variable.Key, PackageNameRules.ValidateEnvironmentVariableName(variable.Name));
        }

        var arguments = Arguments();
        AddError(errors, "args", ServerArgumentRules.Validate(arguments)
            ?? ServerArgumentRules.ValidateReferences(arguments, Env.Select(e => e.Name)));

        var duplicate = Env.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
        if (duplicate is not null)
        {
            errors["env"] = $"{duplicate.Key} is listed more than once.";
        }

        return errors;
    }

    /// <summary>The request the lifecycle takes: variables and arguments left empty are not set at all.</summary>
    public CreateDeploymentRequest ToRequest(string ownerId) => new(
        ownerId,
        Name.Trim(),
        RepoUrl,
        Package.Trim(),
        Runtime,
        string.IsNullOrWhiteSpace(Version) ? null : Version.Trim(),
        Env.Where(e => !string.IsNullOrEmpty(e.Value)).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal))
    {
        Arguments = Arguments(),
    };

    private List<string> Arguments() => Args.Select(a => a.Value).Where(v => v.Length > 0).ToList();

    /// <summary>A deployment name (lowercase letters, digits, hyphens) from a display name.</summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        return result.Length > 63 ? result[..63].TrimEnd('-') : result;
    }

    private static void AddError(Dictionary<string, string> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = error;
        }
    }
}

/// <summary>One server argument as the user edits it.</summary>
public sealed class ArgumentDraft
{
    /// <summary>A stable key for rendering while the value is being edited.</summary>
    public string Key { get; } = Guid.NewGuid().ToString("N");

    public string Value { get; set; } = "";

    /// <summary>The file it was found in; null when added by hand.</summary>
    public string? Source { get; set; }
}

/// <summary>One environment variable as the user edits it; <see cref="Value"/> is entered at the credentials step.</summary>
public sealed class EnvVarDraft
{
    /// <summary>A stable key for rendering and errors while the name is being edited.</summary>
    public string Key { get; } = Guid.NewGuid().ToString("N");

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public bool Required { get; set; }

    public bool Secret { get; set; }

    public string? Default { get; set; }

    /// <summary>The file (or "llm") it was found in; null when added by hand.</summary>
    public string? Source { get; set; }

    public string Value { get; set; } = "";
}
