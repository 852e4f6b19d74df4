using Microsoft.Extensions.Options;

namespace Catwalk.Web.Accounts;

/// <summary>The first admin from <c>CATWALK_ADMIN_EMAIL</c> and <c>CATWALK_ADMIN_PASSWORD</c>; both unset: none.</summary>
internal sealed class AdminBootstrapOptions
{
    public const string EmailVariable = "CATWALK_ADMIN_EMAIL";
    public const string PasswordVariable = "CATWALK_ADMIN_PASSWORD";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public bool Wanted => !string.IsNullOrWhiteSpace(Email) || !string.IsNullOrEmpty(Password);
}

internal sealed class AdminBootstrapOptionsSetup(IConfiguration configuration) : IConfigureOptions<AdminBootstrapOptions>
{
    public void Configure(AdminBootstrapOptions options)
    {
        options.Email = configuration[AdminBootstrapOptions.EmailVariable]?.Trim();
        options.Password = configuration[AdminBootstrapOptions.PasswordVariable];
    }
}

/// <summary>
/// Checked with the other settings before the app starts (no database needed), so a missing half or a short password
/// is one line naming the variable rather than a failed hosted service.
/// </summary>
internal sealed class AdminBootstrapOptionsValidator : IValidateOptions<AdminBootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminBootstrapOptions options)
    {
        if (!options.Wanted)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.Email) || string.IsNullOrEmpty(options.Password))
        {
            return ValidateOptionsResult.Fail(
                $"{AdminBootstrapOptions.EmailVariable} and {AdminBootstrapOptions.PasswordVariable} go together: set both to create the first admin, or neither.");
        }

        return options.Password.Length < AccountPolicy.MinPasswordLength
            ? ValidateOptionsResult.Fail(
                $"{AdminBootstrapOptions.PasswordVariable} is too short: choose a password of at least {AccountPolicy.MinPasswordLength} characters.")
            : ValidateOptionsResult.Success;
    }
}
