using System.Text.Json;
using System.Text.RegularExpressions;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// server.json's <c>packageArguments</c> (what follows the package) as proposed server arguments. A positional or
/// named argument with a fixed <c>value</c> (or a <c>default</c>) is proposed when required or fixed; a flag (a named
/// argument without value) when required or when it selects the stdio transport; a <c>{placeholder}</c> or a value the
/// user must supply becomes a <c>${NAME}</c> credential reference. <c>runtimeArguments</c> (options for npx/uvx
/// themselves) are not passed: Catwalk runs the launcher itself, so they are reported.
/// </summary>
internal static partial class ServerJsonArguments
{
    public static IReadOnlyList<string> Read(JsonElement package, SourceFindings findings)
    {
        var arguments = new List<string>();
        foreach (var argument in JsonReading.Array(package, "packageArguments", "package_arguments"))
        {
            var type = JsonReading.String(argument, "type") ?? "positional";
            var name = JsonReading.String(argument, "name");
            var value = JsonReading.Scalar(JsonReading.Property(argument, "value"));
            var fallback = value ?? JsonReading.Scalar(JsonReading.Property(argument, "default"));
            var required = JsonReading.Bool(argument, "isRequired", "is_required") == true;
            var secret = JsonReading.Bool(argument, "isSecret", "is_secret") == true;
            var hint = JsonReading.String(argument, "valueHint", "value_hint");
            var fixedValue = value is not null && !Placeholder().IsMatch(value);
            if (type == "named" && name is not null)
            {
                if (fallback is null && !secret)
                {
                    // A flag: needed when required, or when it is what selects stdio.
                    if (required || name.Contains("stdio", StringComparison.OrdinalIgnoreCase))
                    {
                        arguments.Add(name);
                    }

                    continue;
                }

                if (required || fixedValue)
                {
                    arguments.Add(name);
                    arguments.Add(Resolve(fallback, secret ? hint ?? name : hint ?? name, secret));
                }
            }
            else if (required || fixedValue)
            {
                if (fallback is not null || hint is not null)
                {
                    arguments.Add(Resolve(fallback, hint ?? "ARGUMENT", secret));
                }
            }
        }

        var launcherOptions = JsonReading.Array(package, "runtimeArguments", "runtime_arguments")
            .Select(a => JsonReading.String(a, "name") ?? JsonReading.Scalar(JsonReading.Property(a, "value")))
            .OfType<string>()
            .Where(a => a is not ("-y" or "--yes"))
            .ToList();
        if (launcherOptions.Count > 0)
        {
            findings.Warnings.Add($"{findings.Path} asks for launcher options ({string.Join(" ", launcherOptions)}) that Catwalk does not pass: it runs npx -y or uvx itself.");
        }

        return arguments.Where(a => ServerArgumentRules.Validate([a]) is null).ToList();
    }

    // {api_key} → ${API_KEY}; a secret or missing value → ${HINT}; anything else stays as written.
    private static string Resolve(string? value, string hint, bool secret)
    {
        if (value is not null && Placeholder().IsMatch(value))
        {
            return Placeholder().Replace(value, m => ServerArgumentRules.ReferenceTo(ToVariable(m.Groups["name"].Value)));
        }

        return value is not null && !secret ? value : ServerArgumentRules.ReferenceTo(ToVariable(hint));
    }

    private static string ToVariable(string text)
    {
        var name = NonWord().Replace(text.Trim('-', '<', '>', '{', '}'), "_").Trim('_').ToUpperInvariant();
        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? "ARG_" + name : name;
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_\-]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[^A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();
}
