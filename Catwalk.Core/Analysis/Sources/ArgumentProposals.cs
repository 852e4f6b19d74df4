using System.Text.RegularExpressions;
using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// Turns the words a repository shows after its package (README commands, client configs, smithery's
/// commandFunction) into proposed server arguments: shell plumbing is dropped, a secret option's value becomes a
/// <c>${NAME}</c> credential reference, and a command that starts the server on another transport (HTTP, SSE) or
/// only prints help proposes nothing, since Catwalk always talks stdio.
/// </summary>
internal static partial class ArgumentProposals
{
    private static readonly HashSet<string> ShellOperators = new(StringComparer.Ordinal) { "|", "||", "&&", ";", "&", ">", ">>", "2>", "2>&1", "<", "\\" };

    /// <summary>The proposal for the words after a package, or null when the command is not a stdio run of the server.</summary>
    public static IReadOnlyList<string>? FromWords(IEnumerable<string> words)
    {
        var arguments = new List<string>();
        foreach (var word in words)
        {
            if (ShellOperators.Contains(word) || word.StartsWith('#'))
            {
                break;
            }

            arguments.Add(word);
        }

        if (!IsStdioRun(arguments))
        {
            return null;
        }

        // The README's value is a placeholder (YOUR_TOKEN): the user supplies the credential the option names.
        var proposed = ArgumentCredentials.ReferenceSecrets(arguments, (variable, _) => variable);
        return ServerArgumentRules.Validate(proposed) is null ? proposed : null;
    }

    /// <summary>
    /// False for <c>--transport http</c>, <c>--sse</c>, <c>--port 3000</c>, <c>--help</c> and the like: examples of
    /// running the server some other way than over stdio.
    /// </summary>
    public static bool IsStdioRun(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i].ToLowerInvariant();
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            var option = equals < 0 ? word : word[..equals];
            var value = equals >= 0 ? word[(equals + 1)..] : i + 1 < arguments.Count ? arguments[i + 1].ToLowerInvariant() : "";
            if (option is "--help" or "-h" or "--version" or "-v" or "--http" or "--sse" or "--streamable-http" or "--port" or "--host" or "--listen")
            {
                return false;
            }

            if (option is "--transport" or "-t" or "--mode" && NonStdioTransport().IsMatch(value))
            {
                return false;
            }

            if (!word.StartsWith('-') && NonStdioTransport().IsMatch(word) && i == 0)
            {
                // `pkg http` / `pkg sse`: a subcommand that serves HTTP.
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^(?:https?|sse|streamable[-_]?http|streamablehttp|web|remote)$", RegexOptions.CultureInvariant)]
    private static partial Regex NonStdioTransport();
}
