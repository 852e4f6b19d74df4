using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Hosting;

/// <summary>
/// How every feature's setup reads its environment-variable settings: unset or blank means the default (null here), a
/// bad value is collected as one line naming the variable and the values it accepts, and
/// <see cref="ThrowIfInvalid{TOptions}"/> ends the setup with all of them, so start-up (and a CLI verb) fails once,
/// with every mistake, through <c>ValidateOnStart</c>.
/// </summary>
public sealed class SettingReader(IConfiguration configuration)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public string? Text(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    public int? Count(string key, int minimum = 1, int maximum = int.MaxValue)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= minimum && count <= maximum)
        {
            return count;
        }

        var range = maximum != int.MaxValue ? $"between {minimum} and {maximum}" : minimum == 1 ? "greater than 0" : $"of at least {minimum}";
        return Invalid<int?>(key, text, $"set it to a whole number {range}");
    }

    /// <summary>A number (such as a ratio) within [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public double? Number(string key, double minimum, double maximum, string example)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : Invalid<double?>(key, text, $"set it to a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)} (for example {example})");
    }

    /// <summary>A duration in any of <see cref="DurationParser"/>'s forms; a plain number is in <paramref name="plainNumberUnit"/>.
    /// Zero is refused unless <paramref name="zeroAllowed"/> (it then means "off" or "never", as the README says).</summary>
    public TimeSpan? Duration(string key, DurationUnit plainNumberUnit, bool zeroAllowed = false)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        return DurationParser.TryParse(text, plainNumberUnit, out var duration) && (zeroAllowed || duration > TimeSpan.Zero)
            ? duration
            : Invalid<TimeSpan?>(key, text, DurationParser.FormsAccepted(plainNumberUnit) + (zeroAllowed ? " (0 turns it off)" : ", greater than 0"));
    }

    /// <summary>Ends a setup: throws every bad value read so far, naming each variable.</summary>
    public void ThrowIfInvalid<TOptions>()
    {
        if (_errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), _errors);
        }
    }

    private T? Invalid<T>(string key, string text, string hint)
    {
        _errors.Add($"{key} is '{(text.Length > 40 ? text[..40] + "..." : text)}': {hint}, or unset it to use the default.");
        return default;
    }
}
