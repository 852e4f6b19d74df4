using System.Globalization;
using System.Text.RegularExpressions;

namespace Catwalk.Core.Hosting;

/// <summary>What a plain number means for one duration setting (the README's settings tables name it per variable).</summary>
public enum DurationUnit
{
    Seconds,
    Minutes,
}

/// <summary>
/// The one parser for every duration setting: <c>500ms</c>, <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c> (fractions
/// allowed), <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>), or a plain number in the variable's own unit. Never negative.
/// </summary>
public static partial class DurationParser
{
    public static bool TryParse(string? text, DurationUnit plainNumberUnit, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = WithOptionalUnit().Match(text.Trim());
        if (match.Success)
        {
            var amount = double.Parse(match.Groups["amount"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            var unit = match.Groups["unit"].Value.ToLowerInvariant();
            try
            {
                duration = unit switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    "d" => TimeSpan.FromDays(amount),
                    _ => plainNumberUnit == DurationUnit.Minutes ? TimeSpan.FromMinutes(amount) : TimeSpan.FromSeconds(amount),
                };
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        // "c" is the invariant hh:mm:ss[.fffffff] form with optional days; a plain number never gets here.
        return TimeSpan.TryParseExact(text.Trim(), "c", CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>The forms a duration setting accepts, for error messages.</summary>
    public static string FormsAccepted(DurationUnit plainNumberUnit) =>
        $"use 30s, 15m, 2h, hh:mm:ss or a plain number of {plainNumberUnit.ToString().ToLowerInvariant()}";

    [GeneratedRegex(@"^(?<amount>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>ms|s|m|h|d)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WithOptionalUnit();
}
