using Catwalk.Core.Hosting;

namespace Catwalk.Web.Accounts;

/// <summary>
/// The first admin, from <c>CATWALK_ADMIN_EMAIL</c> and <c>CATWALK_ADMIN_PASSWORD</c>: created (or an existing
/// user promoted) at every start, which changes nothing once done. A missing half or a weak password stops the app.
/// </summary>
internal sealed partial class AdminBootstrap(IConfiguration configuration, IServiceScopeFactory scopes, ILogger<AdminBootstrap> logger)
    : IHostedService
{
    public const string EmailVariable = "CATWALK_ADMIN_EMAIL";
    public const string PasswordVariable = "CATWALK_ADMIN_PASSWORD";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration[EmailVariable];
        var password = configuration[PasswordVariable];
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrEmpty(password))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            throw new ConfigurationException(
                $"{EmailVariable} and {PasswordVariable} go together: set both to create the first admin, or neither.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<AccountProvisioning>();
        ProvisionedUser result;
        try
        {
            await provisioning.CheckPasswordAsync(new() { UserName = email, Email = email }, password);
            result = await provisioning.EnsureUserAsync(email.Trim(), password, admin: true, source: EmailVariable, cancellationToken);
        }
        catch (AccountRejectedException ex)
        {
            throw new ConfigurationException($"{PasswordVariable} (or {EmailVariable}) was refused: {ex.Message} " +
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
        services.AddHostedService<AdminBootstrap>();
        return services;
    }
}
