using Microsoft.Extensions.Options;

namespace Catwalk.Web.Logging;

/// <summary>Binds <see cref="ConsoleLogOptions"/> from <c>CATWALK_LOG_FORMAT</c>.</summary>
internal sealed class ConsoleLogOptionsSetup(IConfiguration configuration) : IConfigureOptions<ConsoleLogOptions>
{
    public void Configure(ConsoleLogOptions options) => Bind(configuration, options);

    /// <summary>Also used before the host exists: the console formatter is chosen while the builder runs.</summary>
    public static ConsoleLogOptions Bind(IConfiguration configuration, ConsoleLogOptions? options = null)
    {
        options ??= new ConsoleLogOptions();
        var text = configuration[ConsoleLogOptions.FormatVariable];
        if (!string.IsNullOrWhiteSpace(text))
        {
            options.Format = text.Trim();
        }

        return options;
    }
}

/// <summary>Refuses a log format other than <c>text</c> or <c>json</c>, saying which variable to change.</summary>
internal sealed class ConsoleLogOptionsValidator : IValidateOptions<ConsoleLogOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleLogOptions options) =>
        string.Equals(options.Format, ConsoleLogOptions.Text, StringComparison.OrdinalIgnoreCase) || options.IsJson
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ConsoleLogOptions.FormatVariable} is '{options.Format}': set it to '{ConsoleLogOptions.Text}' (the default) " +
                $"or '{ConsoleLogOptions.Json}' (one JSON object per line).");
}
