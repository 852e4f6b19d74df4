using Microsoft.Extensions.Options;

namespace Catwalk.Web.Security;

/// <summary>Fails start-up naming each rate-limit variable that is not a positive whole number.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
