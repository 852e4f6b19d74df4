using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Accounts;

/// <summary>Binds <see cref="AccessPolicyOptions"/>; a value it cannot read stops start-up naming the variable.</summary>
internal sealed class AccessPolicyOptionsSetup(IConfiguration configuration) : IConfigureOptions<AccessPolicyOptions>
{
    public void Configure(AccessPolicyOptions options)
    {
        var registration = configuration[AccessPolicyOptions.RegistrationVariable]?.Trim();
        options.RegistrationOpen = registration?.ToLowerInvariant() switch
        {
            null or "" or "open" => true,
            "closed" => false,
            _ => throw Invalid(AccessPolicyOptions.RegistrationVariable, registration, "'open' (anyone may register, the default) or 'closed' (accounts only from create-user and admins)"),
        };

        var max = configuration[AccessPolicyOptions.MaxDeploymentsPerUserVariable]?.Trim();
        if (!string.IsNullOrEmpty(max))
        {
            options.MaxDeploymentsPerUser = int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0
                ? count
                : throw Invalid(AccessPolicyOptions.MaxDeploymentsPerUserVariable, max, "a whole number of at least 0 (0: only admins deploy; default 10)");
        }
    }

    private static OptionsValidationException Invalid(string variable, string value, string expected) =>
        new(variable, typeof(AccessPolicyOptions), [$"{variable} is '{value}': set it to {expected}."]);
}
