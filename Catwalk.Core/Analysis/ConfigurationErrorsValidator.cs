using Microsoft.Extensions.Options;

namespace Catwalk.Core.Analysis;

/// <summary>Fails start-up with the binding errors collected for an options class (each names its variable).</summary>
internal sealed class ConfigurationErrorsValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> errors) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = errors(options);
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
