using System.Text.RegularExpressions;

namespace Catwalk.Core.Packages;

/// <summary>
/// The one rule for a deployment's server arguments (what follows the package on the command line: <c>npx -y -- pkg
/// args…</c>). Arguments travel as separate argv elements, never through a shell; an argument may reference a
/// credential as <c>${NAME}</c>, which only the machine replaces with the value at process start.
/// The machine's entrypoint (deploy/mcp-entrypoint.sh) applies the same limits.
/// </summary>
public static partial class ServerArgumentRules
{
    public const int MaxCount = 32;

    public const int MaxLength = 1024;

    /// <summary>null when the list is acceptable, else a message saying what to change.</summary>
    public static string? Validate(IReadOnlyList<string?>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return null;
        }

        if (arguments.Count > MaxCount)
        {
            return $"Give at most {MaxCount} arguments (got {arguments.Count}).";
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument is null)
            {
                return $"Argument {i + 1} is null: give a string, or leave it out.";
            }

            if (argument.Length > MaxLength)
            {
                return $"Argument {i + 1} is longer than {MaxLength} characters.";
            }

            if (argument.AsSpan().IndexOfAny('\0', '\n', '\r') >= 0)
            {
                return $"Argument {i + 1} contains a NUL or line break: each argument is one line of text.";
            }
        }

        return null;
    }

    /// <summary>The credential names the arguments reference as <c>${NAME}</c>, in order of first use.</summary>
    public static IReadOnlyList<string> References(IEnumerable<string> arguments) =>
        arguments.SelectMany(a => Reference().Matches(a).Select(m => m.Groups["name"].Value)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>null when every <c>${NAME}</c> names one of <paramref name="credentialNames"/>, else a message.</summary>
    public static string? ValidateReferences(IEnumerable<string> arguments, IEnumerable<string> credentialNames)
    {
        var known = credentialNames.ToHashSet(StringComparer.Ordinal);
        var missing = References(arguments).Where(n => !known.Contains(n)).ToList();
        return missing.Count == 0
            ? null
            : $"The arguments reference {string.Join(", ", missing.Select(n => "${" + n + "}"))}, which no credential provides: add {(missing.Count == 1 ? "it" : "them")} to env (or remove the reference).";
    }

    /// <summary>The arguments with each <c>${NAME}</c> replaced by its credential's value: only where the process starts.</summary>
    /// <exception cref="ArgumentException">A reference names no credential (the message names the variable, never a value).</exception>
    public static IReadOnlyList<string> Substitute(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> credentials) =>
        arguments.Select(a => Reference().Replace(a, m => credentials.TryGetValue(m.Groups["name"].Value, out var value)
            ? value
            : throw new ArgumentException($"An argument references ${{{m.Groups["name"].Value}}}, but the deployment has no such credential.", nameof(credentials))))
            .ToList();

    /// <summary>The reference form of a credential in an argument.</summary>
    public static string ReferenceTo(string credentialName) => "${" + credentialName + "}";

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
