using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Reads the local runtime's environment-variable settings: unset means the default, a bad value fails start-up with a
/// message that names the variable and says what to set.
/// </summary>
internal sealed class LocalSettingReader(IConfiguration configuration, Type optionsType)
{
    public string? Text(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    public TimeSpan? Seconds(string key) => Text(key) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw Invalid(key, $"{key} is '{text}': set it to a number of seconds greater than 0 (for example 30), or unset it to use the default.")
        : null;

    public int? Count(string key, int minimum = 1) => Text(key) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw Invalid(key, minimum == 1
                ? $"{key} is '{text}': set it to a whole number greater than 0, or unset it to use the default."
                : $"{key} is '{text}': set it to a whole number of at least {minimum}, or unset it to use the default.")
        : null;

    private OptionsValidationException Invalid(string key, string message) => new(key, optionsType, [message]);
}
