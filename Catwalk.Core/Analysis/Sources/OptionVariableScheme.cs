using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// Servers that accept every command-line option also as an environment variable named by a rule rather than one
/// by one: a README saying "each option can be set as <c>MYSERVER_&lt;OPTION&gt;</c>" (or "prefixed with
/// <c>MYSERVER_</c>"), or click's <c>auto_envvar_prefix="MYSERVER"</c>. The scheme applied to the options the same
/// file documents (<c>--read-only</c> → <c>MYSERVER_READ_ONLY</c>) yields the variables; all optional.
/// </summary>
internal static partial class OptionVariableScheme
{
    // Options that choose how the process runs rather than configure the server.
    private static readonly HashSet<string> RunOptions = new(StringComparer.Ordinal)
    {
        "help", "version", "transport", "port", "host", "stdio", "sse", "http", "verbose", "debug", "quiet", "log-level", "config",
        // The launchers' and clients' own options, which READMEs show next to the server's.
        "from", "with", "yes", "python", "directory", "package", "registry", "scope", "env", "name", "header",
    };

    /// <summary>The README's documented scheme applied to the options it documents.</summary>
    public static void ReadReadme(string content, SourceFindings prose)
    {
        var prefix = ReadmePrefix(content);
        if (prefix is null)
        {
            return;
        }

        foreach (var option in ReadmeOption().Matches(content).Select(m => m.Groups["option"].Value).Distinct(StringComparer.Ordinal))
        {
            Add(prose, prefix, option);
        }
    }

    /// <summary>click's auto_envvar_prefix applied to the file's <c>@click.option("--name")</c> options.</summary>
    public static void ReadClick(string content, SourceFindings code)
    {
        if (ClickPrefix().Match(content) is not { Success: true } match)
        {
            return;
        }

        var prefix = match.Groups["prefix"].Value.TrimEnd('_') + "_";
        foreach (var option in ClickOption().Matches(content).Select(m => m.Groups["option"].Value).Distinct(StringComparer.Ordinal))
        {
            Add(code, prefix.ToUpperInvariant(), option);
        }
    }

    private static string? ReadmePrefix(string content)
    {
        foreach (Match match in SchemeSpan().Matches(content))
        {
            // Only a scheme about options: the sentence around it speaks of options, flags or arguments.
            var start = Math.Max(0, match.Index - 200);
            var around = content[start..Math.Min(content.Length, match.Index + match.Length + 200)];
            if (OptionWords().IsMatch(around))
            {
                return match.Groups["prefix"].Value;
            }
        }

        return null;
    }

    private static void Add(SourceFindings findings, string prefix, string option)
    {
        if (RunOptions.Contains(option) || option.StartsWith("no-", StringComparison.Ordinal))
        {
            return;
        }

        var name = prefix + option.Replace('-', '_').ToUpperInvariant();
        if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: false) && !findings.EnvVars.Any(e => e.Name == name))
        {
            findings.EnvVars.Add(new EnvVarFinding(name, findings.Kind, findings.Path) { Required = false, Description = $"The --{option} option, as an environment variable." });
        }
    }

    // `MYSERVER_<OPTION>`, `MYSERVER_{OPTION_NAME}`, `MYSERVER_*`, or "prefixed with `MYSERVER_`" / "prefix `MYSERVER_`".
    [GeneratedRegex(@"`(?<prefix>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_)(?:<[^>`]+>|\{[^}`]+\}|\*|\[[^\]`]+\]|OPTION(?:_NAME)?|FLAG(?:_NAME)?)`|prefix(?:ed)?\s+(?:with\s+|by\s+)?`(?<prefix>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_)`", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeSpan();

    [GeneratedRegex(@"\b(?:option|options|flag|flags|argument|arguments|CLI|command[- ]line)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OptionWords();

    [GeneratedRegex(@"(?<![\w-])--(?<option>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)\b(?!-)", RegexOptions.CultureInvariant)]
    private static partial Regex ReadmeOption();

    [GeneratedRegex(@"auto_envvar_prefix[""']?\s*[:=]\s*[""'](?<prefix>[A-Za-z][A-Za-z0-9_]*)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex ClickPrefix();

    [GeneratedRegex(@"@click\.option\(\s*[""']--(?<option>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex ClickOption();
}
