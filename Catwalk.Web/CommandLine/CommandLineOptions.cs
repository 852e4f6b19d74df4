namespace Catwalk.Web.CommandLine;

/// <summary>The <c>--name value</c> and <c>--flag</c> options after a verb.</summary>
internal sealed class CommandLineOptions
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);

    public CommandLineOptions(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var arg = arguments[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new CommandLineException($"Unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            var hasValue = i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal);
            _values[name] = hasValue ? arguments[++i] : null;
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new CommandLineException($"--{name} is required.");
}

/// <summary>A usage mistake, reported without a stack trace.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
