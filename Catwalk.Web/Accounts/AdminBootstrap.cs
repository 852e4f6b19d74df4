using Catwalk.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Accounts;

/// <summary>
/// The first admin, from <c>CATWALK_ADMIN_EMAIL</c> and <c>CATWALK_ADMIN_PASSWORD</c>: created (or an existing
/// user promoted) at every start, which changes nothing once done. A missing half or a weak password stops the app.
/// </summary>
internal sealed partial class AdminBootstrap(IOptions<AdminBootstrapOptions> options, IServiceScopeFactory scopes, ILogger<AdminBootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Both set, or neither: the validator checked that before the app started.
        if (!options.Value.Wanted || options.Value is not { Email: { } email, Password: { } password })
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<AccountProvisioning>();
        ProvisionedUser result;
        try
        {
            await provisioning.CheckPasswordAsync(new() { UserName = email, Email = email }, password);
            result = await provisioning.EnsureUserAsync(email, password, admin: true, source: AdminBootstrapOptions.EmailVariable, cancellationToken);
        }
        catch (AccountRejectedException ex)
        {
            throw new ConfigurationException($"{AdminBootstrapOptions.PasswordVariable} (or {AdminBootstrapOptions.EmailVariable}) was refused: {ex.Message} " +
                                                $"Choose a password of at least {AccountPolicy.MinPasswordLength} characters.");
        }

        var outcome = result switch
        {
            { Created: true } => "created",
            { PromotedToAdmin: true } => "an existing user, promoted to admin",
            _ => "already an admin, unchanged",
        };
        LogAdminReady(logger, result.User.Email ?? "", outcome);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Email} from CATWALK_ADMIN_EMAIL: {Outcome}")]
    private static partial void LogAdminReady(ILogger logger, string email, string outcome);
}

internal static class AdminBootstrapRegistration
{
    public static IServiceCollection AddAdminBootstrap(this IServiceCollection services)
    {
        services.AddScoped<AccountProvisioning>();
        services.AddSingleton<IConfigureOptions<AdminBootstrapOptions>, AdminBootstrapOptionsSetup>();
        services.AddSingleton<IValidateOptions<AdminBootstrapOptions>, AdminBootstrapOptionsValidator>();
        services.AddOptions<AdminBootstrapOptions>().ValidateOnStart();
        services.AddHostedService<AdminBootstrap>();
        return services;
    }
}
