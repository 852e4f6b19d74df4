using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Accounts;

/// <summary>Binds <see cref="AccessPolicyOptions"/>; a value it cannot read stops start-up naming the variable.</summary>
internal sealed class AccessPolicyOptionsSetup(IConfiguration configuration) : IConfigureOptions<AccessPolicyOptions>
{
    public void Configure(AccessPolicyOptions options)
    {
        var settings = new Hosting.SettingReader(configuration);
        var registration = settings.Text(AccessPolicyOptions.RegistrationVariable);
        options.RegistrationOpen = registration?.ToLowerInvariant() switch
        {
            null or "open" => true,
            "closed" => false,
            _ => throw Invalid(AccessPolicyOptions.RegistrationVariable, registration, "'open' (anyone may register, the default) or 'closed' (accounts only from create-user and admins)"),
        };

        options.MaxDeploymentsPerUser = settings.Count(AccessPolicyOptions.MaxDeploymentsPerUserVariable, minimum: 0) ?? options.MaxDeploymentsPerUser;
        settings.ThrowIfInvalid<AccessPolicyOptions>();
    }

    private static OptionsValidationException Invalid(string variable, string value, string expected) =>
        new(variable, typeof(AccessPolicyOptions), [$"{variable} is '{value}': set it to {expected}."]);
}
