using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// Reads the command lines a README shows (<c>npx -y pkg</c>, <c>uvx pkg</c>, <c>KEY=value npx …</c>,
/// <c>docker run -e KEY …</c>, <c>claude mcp add … -e KEY=… -- npx …</c>) for packages and environment variables.
/// </summary>
internal static partial class CommandLineReader
{
    // Tools that READMEs run with npx/uvx but that are not the server: inspectors, installers, proxies, clients.
    private static readonly FrozenSet<string> ToolPackages = FrozenSet.ToFrozenSet(
    [
        "@modelcontextprotocol/inspector", "@smithery/cli", "smithery", "mcp-remote", "mcp-chat", "mcp-eval", "mcp-evals", "@wong2/mcp-cli",
        "supergateway", "mcp-proxy", "mcpo", "tsx", "ts-node", "typescript", "tsc", "npm", "pnpm", "yarn", "node", "rimraf", "prettier", "eslint",
        "jest", "vitest", "playwright", "@playwright/test", "create-mcp-server", "@modelcontextprotocol/create-server", "@anthropic-ai/dxt",
        "@anthropic-ai/mcpb", "mcpb", "dxt", "http-server", "serve", "concurrently", "nodemon", "pytest", "ruff", "black", "mypy", "pip",
        "uv", "hatch", "poetry", "twine", "build", "pre-commit", "mcp", "fastmcp", "@anthropic-ai/claude-code", "vercel", "wrangler",
        "install-mcp", "add-mcp", "@upstash/cli", "mcp-get", "@michaellatman/mcp-get", "markdownlint-cli", "semantic-release", "changeset",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> NpxFlagsWithValue = FrozenSet.ToFrozenSet(["-p", "--package", "--registry", "--cache", "--userconfig", "-c", "--call"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> UvxFlagsWithValue = FrozenSet.ToFrozenSet(
        ["--python", "-p", "--with", "--with-editable", "--with-requirements", "--index-url", "--extra-index-url", "--index", "--refresh-package", "--reinstall-package", "--cache-dir", "--directory", "--env-file", "--python-preference"],
        StringComparer.Ordinal);

    /// <summary>Reads one command (already split into words) into <paramref name="findings"/>.</summary>
    public static void Read(IReadOnlyList<string> words, SourceFindings findings, EvidenceKind kind)
    {
        // Variables set for this command count as transport-only when the command serves HTTP or SSE.
        var pending = new List<string>();
        var packagesBefore = findings.Packages.Count;
        ReadCommand(words, findings, kind, pending);
        var servesHttp = words.Count > 0 && findings.Packages.Count > packagesBefore && findings.Packages[^1].Arguments is null;
        foreach (var name in pending)
        {
            AddEnv(findings, kind, name, servesHttp);
        }
    }

    private static void ReadCommand(IReadOnlyList<string> words, SourceFindings findings, EvidenceKind kind, List<string> pending)
    {
        var i = 0;
        // Leading assignments: KEY=value npx …
        while (i < words.Count && EnvAssignment().Match(words[i]) is { Success: true } assignment)
        {
            pending.Add(assignment.Groups["name"].Value);
            i++;
        }

        for (; i < words.Count; i++)
        {
            var word = words[i];
            if ((word is "-e" or "--env") && i + 1 < words.Count)
            {
                var name = words[i + 1].Split('=')[0];
                if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true))
                {
                    pending.Add(name);
                }

                i++;
                continue;
            }

            if (word.StartsWith("--env=", StringComparison.Ordinal) || word.StartsWith("-e=", StringComparison.Ordinal))
            {
                pending.Add(word[(word.IndexOf('=') + 1)..].Split('=')[0]);
                continue;
            }

            var command = System.IO.Path.GetFileName(word.Replace('\\', '/'));
            if (command is "npx" or "npx.cmd" or "bunx" or "pnpx")
            {
                ReadPackage(words, i + 1, PackageRuntime.Npm, findings, kind);
                return;
            }

            if (command is "uvx" or "uvx.exe")
            {
                ReadPackage(words, i + 1, PackageRuntime.Pypi, findings, kind);
                return;
            }

            if (command is "uv" && i + 2 < words.Count && words[i + 1] == "tool" && words[i + 2] == "run")
            {
                ReadPackage(words, i + 3, PackageRuntime.Pypi, findings, kind);
                return;
            }

            if (command is "pipx" && i + 1 < words.Count && words[i + 1] == "run")
            {
                ReadPackage(words, i + 2, PackageRuntime.Pypi, findings, kind);
                return;
            }
        }
    }

    /// <summary>Splits a shell line into words, honouring simple quotes.</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        foreach (Match match in Word().Matches(line))
        {
            var value = match.Groups["dq"].Success ? match.Groups["dq"].Value
                : match.Groups["sq"].Success ? match.Groups["sq"].Value
                : match.Value;
            words.Add(value);
        }

        return words;
    }

    private static void ReadPackage(IReadOnlyList<string> words, int start, PackageRuntime runtime, SourceFindings findings, EvidenceKind kind)
    {
        string? fromPackage = null;
        for (var i = start; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "--from" && runtime == PackageRuntime.Pypi && i + 1 < words.Count)
            {
                fromPackage = words[i + 1];
                i++;
                continue;
            }

            if ((word is "-p" or "--package") && runtime == PackageRuntime.Npm && i + 1 < words.Count)
            {
                fromPackage = words[i + 1];
                i++;
                continue;
            }

            if (word.StartsWith('-'))
            {
                var withValue = runtime == PackageRuntime.Npm ? NpxFlagsWithValue : UvxFlagsWithValue;
                if (withValue.Contains(word) && !word.Contains('=', StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            // With --from, the word is the command the package provides; what follows it is the server's.
            AddPackage(fromPackage ?? word, runtime, findings, kind, ArgumentProposals.FromWords(words.Skip(i + 1)));
            return;
        }

        if (fromPackage is not null)
        {
            AddPackage(fromPackage, runtime, findings, kind, []);
        }
    }

    private static void AddPackage(string spec, PackageRuntime runtime, SourceFindings findings, EvidenceKind kind, IReadOnlyList<string>? arguments)
    {
        var (name, version) = SplitSpec(spec.Trim().TrimEnd(',', ';', ')'), runtime);
        if (ToolPackages.Contains(name) || PackageNameRules.ValidatePackage(runtime, name) is not null)
        {
            return;
        }

        var existing = findings.Packages.FindIndex(p => p.Name == name && p.Runtime == runtime);
        if (existing >= 0)
        {
            // A later command that shows arguments for a stdio run says more than a bare install line.
            if (findings.Packages[existing].Arguments is null or [] && arguments is [_, ..])
            {
                findings.Packages[existing] = findings.Packages[existing] with { Arguments = arguments };
            }

            return;
        }

        findings.Packages.Add(new PackageCandidate(name, runtime, kind, findings.Path) { Version = version, Arguments = arguments });
    }

    /// <summary>"@scope/pkg@1.2.3" → ("@scope/pkg", "1.2.3"); "pkg==1.0" or "pkg[extra]" for PyPI.</summary>
    internal static (string Name, string? Version) SplitSpec(string spec, PackageRuntime runtime)
    {
        if (runtime == PackageRuntime.Npm)
        {
            var at = spec.LastIndexOf('@');
            return at > 0 ? (spec[..at], spec[(at + 1)..]) : (spec, null);
        }

        var bracket = spec.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0)
        {
            spec = spec[..bracket] + (spec.IndexOf(']', bracket) is var close and > 0 ? spec[(close + 1)..] : "");
        }

        foreach (var separator in new[] { "==", "@", ">=", "~=" })
        {
            var index = spec.IndexOf(separator, StringComparison.Ordinal);
            if (index > 0)
            {
                return (spec[..index], spec[(index + separator.Length)..]);
            }
        }

        return (spec, null);
    }

    private static void AddEnv(SourceFindings findings, EvidenceKind kind, string name, bool transportOnly)
    {
        if (!EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true))
        {
            return;
        }

        var existing = findings.EnvVars.FindIndex(e => e.Name == name);
        if (existing < 0)
        {
            findings.EnvVars.Add(new EnvVarFinding(name, kind, findings.Path) { TransportOnly = transportOnly });
        }
        else if (findings.EnvVars[existing].TransportOnly && !transportOnly)
        {
            findings.EnvVars[existing] = findings.EnvVars[existing] with { TransportOnly = false };
        }
    }

    [GeneratedRegex(@"^(?<name>[A-Z][A-Z0-9_]*)=", RegexOptions.CultureInvariant)]
    private static partial Regex EnvAssignment();

    [GeneratedRegex(@"""(?<dq>[^""]*)""|'(?<sq>[^']*)'|[^\s""']+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
