using System.Text.RegularExpressions;
using Catwalk.Core.Analysis.Reading;

namespace Catwalk.Core.Analysis;

/// <summary>
/// Signs that a repository has configuration the analysis may have missed: a README that keeps talking about
/// environment variables or documents many command-line options, an example env file, code that reads variables
/// by computed names. When the analysis found little, the result says so instead of looking complete.
/// </summary>
internal static partial class ConfigurationSignals
{
    /// <summary>
    /// A warning when no variable was found although the repository shows signs of configuration, or only one
    /// although it has an example env file or reads variables by computed names; else null.
    /// </summary>
    public static string? Warning(RepositorySnapshot snapshot, int variablesFound)
    {
        if (variablesFound > 1)
        {
            return null;
        }

        var signs = new List<string>();
        var readmes = snapshot.Files.Where(f => f.Kind == RepositoryFileKind.Readme).Select(f => f.Content).ToList();
        var mentions = readmes.Sum(r => EnvironmentVariableWords().Count(r));
        if (mentions >= 2 && variablesFound == 0)
        {
            signs.Add($"the README mentions environment variables {mentions} times");
        }

        var options = readmes.SelectMany(r => OptionFlag().Matches(r).Select(m => m.Value)).Distinct(StringComparer.Ordinal).Count();
        if (options >= 5 && variablesFound == 0)
        {
            signs.Add($"the README documents {options} command-line options");
        }

        if (snapshot.Files.Any(f => f.Kind == RepositoryFileKind.EnvExample))
        {
            signs.Add("it has an example environment file");
        }

        if (snapshot.Files.Any(f => f.Kind == RepositoryFileKind.Source && ComputedRead().IsMatch(f.Content)))
        {
            signs.Add("its code reads variables by computed names");
        }

        if (signs.Count == 0)
        {
            return null;
        }

        var found = variablesFound == 0 ? "no environment variables" : "only one environment variable";
        return $"Catwalk found {found}, but {string.Join(", ", signs)}: check the repository's configuration documentation and add what the server needs.";
    }

    [GeneratedRegex(@"environment\s+variables?|env\s+vars?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentVariableWords();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*\b(?!-)", RegexOptions.CultureInvariant)]
    private static partial Regex OptionFlag();

    [GeneratedRegex(@"process\.env\[\s*`[^`]*\$\{|process\.env\[\s*[A-Za-z_]\w*\s*[+\]]|os\.(?:environ\.get|getenv)\(\s*f[""']|os\.environ\[\s*f[""']", RegexOptions.CultureInvariant)]
    private static partial Regex ComputedRead();
}
