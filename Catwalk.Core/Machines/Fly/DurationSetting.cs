using System.Globalization;
using System.Text.RegularExpressions;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// Reads a duration from an environment variable: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>, a plain
/// number of seconds, or a .NET time span (<c>00:01:30</c>). A bad value fails with a message naming the variable.
/// </summary>
public static partial class DurationSetting
{
    public static TimeSpan? Parse(string variable, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        var match = WithUnit().Match(text);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            return match.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "" or "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }

        throw new InvalidOperationException(
            $"{variable}='{(text.Length > 40 ? text[..40] + "..." : text)}' is not a duration: use e.g. 500ms, 30s, 15m, 2h, 7d or 00:01:30.");
    }

    public static TimeSpan Parse(string variable, string? value, TimeSpan fallback) => Parse(variable, value) ?? fallback;

    [GeneratedRegex(@"^(?<amount>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>ms|s|m|h|d|)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WithUnit();
}
