using System.Text.RegularExpressions;
using Catwalk.Core.Analysis.Sources;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>
/// Folds the model's answer into the draft: it fills gaps and adds descriptions, may settle required/secret where
/// only heuristics decided, and never overrides a fact from registry metadata (server.json, manifest.json).
/// Anything it names must appear in the files read, so an invented variable or package is dropped.
/// </summary>
internal static class LlmMerge
{
    public const string Source = "llm";

    public static void Apply(AnalysisDraft draft, LlmAnswer answer)
    {
        if (answer.Package is { } package && answer.Runtime is { } runtime && Mentioned(draft.AllText, package)
            && !draft.Packages.Any(p => p.Name == package && p.Runtime == runtime))
        {
            // Only a fallback: manifests and registry metadata stay ahead of it.
            draft.Packages.Add(new PackageCandidate(package, runtime, EvidenceKind.Llm, Source));
        }

        var envBefore = draft.Env.Select(e => (e.Description, e.Required, e.Secret, e.Default)).ToList();
        var toolsBefore = draft.Tools.Select(t => t.Tool).ToList();

        if (draft.ServerName is null && answer.Name is not null)
        {
            draft.ServerName = answer.Name;
            draft.ServerNameSource = Source;
        }

        if (draft.Description is null && answer.Description is not null)
        {
            draft.Description = answer.Description;
            draft.DescriptionSource = Source;
        }

        foreach (var suggested in answer.Env)
        {
            if (!EnvVarHeuristics.IsServerConfiguration(suggested.Name) || !Mentioned(draft.AllText, suggested.Name))
            {
                continue;
            }

            var existing = draft.Env.Find(e => e.Name == suggested.Name);
            if (existing is null)
            {
                draft.Env.Add(new DraftEnvVar(suggested.Name)
                {
                    Source = Source,
                    Strongest = EvidenceKind.Llm,
                    Description = suggested.Description,
                    Required = suggested.Required,
                    Secret = suggested.Secret,
                    Default = suggested.Secret ? null : suggested.Default,
                });
                continue;
            }

            existing.Description ??= suggested.Description;
            if (!existing.RequiredIsFact)
            {
                existing.Required = suggested.Required;
            }

            if (!existing.SecretIsFact)
            {
                existing.Secret = suggested.Secret;
            }

            if (!existing.Secret)
            {
                existing.Default ??= suggested.Default;
            }
        }

        foreach (var tool in answer.Tools)
        {
            var index = draft.Tools.FindIndex(t => t.Tool.Name == tool.Name);
            if (index < 0)
            {
                if (Mentioned(draft.AllText, tool.Name))
                {
                    draft.Tools.Add((tool, Source));
                }
            }
            else if (draft.Tools[index].Tool.Description is null && tool.Description is not null)
            {
                draft.Tools[index] = (draft.Tools[index].Tool with { Description = tool.Description }, draft.Tools[index].Source);
            }
        }

        if (draft.Env.Count != envBefore.Count || draft.Env.Zip(envBefore).Any(p => (p.First.Description, p.First.Required, p.First.Secret, p.First.Default) != p.Second))
        {
            draft.LlmFields.Add("env");
        }

        if (!draft.Tools.Select(t => t.Tool).SequenceEqual(toolsBefore))
        {
            draft.LlmFields.Add("tools");
        }
    }

    private static bool Mentioned(string text, string name) =>
        Regex.IsMatch(text, $@"(?<![A-Za-z0-9_]){Regex.Escape(name)}(?![A-Za-z0-9_])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
}
