using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// The server arguments in smithery.yaml's <c>commandFunction</c>: <c>args: ['dist/index.js', '--stdio', '--api-key',
/// config.apiKey]</c>. The launcher's part (the script run by node or python, or npx's package) is dropped; a
/// <c>config.x</c> value becomes the credential reference <c>${X}</c>; conditional parts (spreads, ternaries) are
/// optional and end the proposal.
/// </summary>
internal static partial class SmitheryArguments
{
    public static IReadOnlyList<string>? Read(string commandFunction)
    {
        var match = CommandAndArgs().Match(commandFunction);
        if (!match.Success)
        {
            return null;
        }

        var command = Path.GetFileName(match.Groups["command"].Value);
        var words = new List<string>();
        foreach (var element in match.Groups["args"].Value.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (Literal().Match(element) is { Success: true } literal)
            {
                words.Add(literal.Groups["value"].Value);
            }
            else if (ConfigValue().Match(element) is { Success: true } config)
            {
                words.Add(Packages.ServerArgumentRules.ReferenceTo(ToVariable(config.Groups["prop"].Value)));
            }
            else
            {
                break;
            }
        }

        var start = command switch
        {
            "npx" or "bunx" or "uvx" => words.FindIndex(w => !w.StartsWith('-')) + 1,
            "node" or "bun" or "deno" or "python" or "python3" or "tsx" => words.IndexOf("-m") is >= 0 and var m ? m + 2 : words.FindIndex(IsScript) + 1,
            "uv" => words.IndexOf("run") is >= 0 and var run ? words.FindIndex(run + 1, w => !w.StartsWith('-')) + 1 : 0,
            _ => 0,
        };
        return start <= 0 && command is "npx" or "bunx" or "uvx" or "uv" or "node" or "bun" or "deno" or "python" or "python3" or "tsx"
            ? null
            : ArgumentProposals.FromWords(words.Skip(start));
    }

    private static bool IsScript(string word) => word.Contains('/', StringComparison.Ordinal) || ScriptFile().IsMatch(word);

    // apiKey → API_KEY, brave_api_key → BRAVE_API_KEY
    private static string ToVariable(string property) => CamelBoundary().Replace(property, "$1_$2").Replace('-', '_').ToUpperInvariant();

    [GeneratedRegex(@"command\s*:\s*['""`](?<command>[^'""`]+)['""`]\s*,\s*args\s*:\s*\[(?<args>[^\]]*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex CommandAndArgs();

    [GeneratedRegex(@"^['""`](?<value>[^'""`$]*)['""`]$", RegexOptions.CultureInvariant)]
    private static partial Regex Literal();

    [GeneratedRegex(@"^(?:String\s*\(\s*)?config(?:\.(?<prop>[A-Za-z0-9_]+)|\[\s*['""](?<prop>[^'""]+)['""]\s*\])\s*\)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigValue();

    [GeneratedRegex(@"\.(?:js|mjs|cjs|ts|py)$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptFile();

    [GeneratedRegex(@"([a-z0-9])([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelBoundary();
}
