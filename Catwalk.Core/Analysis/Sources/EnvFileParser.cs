using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// .env.example and the like: <c>NAME=value</c> lines, including commented-out ones (documented options), with the
/// comment above or after each as its description. Variables the comments say are only for examples or tests are left out.
/// </summary>
internal static partial class EnvFileParser
{
    public static SourceFindings Parse(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.EnvFile);
        var comment = new List<string>();
        var sectionExcluded = false;
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                comment.Clear();
                continue;
            }

            var assignment = Assignment().Match(line);
            if (!assignment.Success)
            {
                if (line.StartsWith('#'))
                {
                    var text = line.TrimStart('#').Trim();
                    if (IsSectionHeader(text, out var header))
                    {
                        comment.Clear();
                        sectionExcluded = header is not null && OnlyForDevelopment().IsMatch(header);
                    }
                    else if (text.Length > 0 && !text.All(c => c is '=' or '-' or '*'))
                    {
                        comment.Add(text);
                    }
                }

                continue;
            }

            var name = assignment.Groups["name"].Value;
            var value = assignment.Groups["value"].Value.Trim();
            var inline = "";
            var hash = value.IndexOf(" #", StringComparison.Ordinal);
            if (hash >= 0)
            {
                inline = value[(hash + 2)..].Trim();
                value = value[..hash].Trim();
            }

            value = value.Trim('"', '\'');
            var description = inline.Length > 0 ? inline : comment.Count > 0 ? string.Join(' ', comment) : null;
            var excluded = sectionExcluded || (description is not null && OnlyForDevelopment().IsMatch(description));
            if (!excluded && !findings.EnvVars.Any(e => e.Name == name))
            {
                findings.EnvVars.Add(new EnvVarFinding(name, EvidenceKind.EnvFile, path)
                {
                    Description = description is null ? null : Shorten(description),
                    Default = LooksLikePlaceholder(value) ? null : value,
                    Example = value.Length == 0 ? null : value,
                });
            }

            // A comment describes the block of lines under it, until a blank line.
        }

        return findings;
    }

    /// <summary>Values such as "your_api_key_here", "&lt;token&gt;", "xxx" or "" are examples, not defaults.</summary>
    internal static bool LooksLikePlaceholder(string value) =>
        value.Length == 0 || Placeholder().IsMatch(value);

    private static bool IsSectionHeader(string text, out string? header)
    {
        header = null;
        var stripped = text.Trim('=', '-', '#', '*', ' ');
        if (text.Length > 0 && (text.StartsWith("===", StringComparison.Ordinal) || text.StartsWith("---", StringComparison.Ordinal)))
        {
            header = stripped.Length > 0 ? stripped : null;
            return true;
        }

        if (stripped.Length > 3 && stripped.Length < 60 && string.Equals(stripped, stripped.ToUpperInvariant(), StringComparison.Ordinal) && stripped.Any(char.IsAsciiLetterUpper) && !stripped.Contains('=', StringComparison.Ordinal))
        {
            header = stripped;
            return true;
        }

        return false;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..297] + "...";

    [GeneratedRegex(@"^#?\s*(?:export\s+)?(?<name>[A-Z][A-Z0-9_]*)\s*=(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\b(only|just)\b[^.]*\b(examples?|tests?|testing|evals?|development|dev|ci|benchmarks?)\b|\b(for|in)\s+(tests?|testing|examples?|evals?)\s+only\b|\bexamples?/", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OnlyForDevelopment();

    [GeneratedRegex(@"(?i)^(your[_\-\s]|<.*>$|\[.*\]$|changeme|change_me|replace|put_|insert|enter|todo|example|\$\{)|_here$|here$|\*{3,}|x{4,}|\.\.\.|<[a-z_\- ]+>|\byour[_\-\s]|example\.(com|org)|\bbearer\s", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
