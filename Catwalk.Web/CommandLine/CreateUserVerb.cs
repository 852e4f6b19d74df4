using Catwalk.Web.Accounts;

namespace Catwalk.Web.CommandLine;

/// <summary><c>create-user --email E --password P [--admin]</c>: creates a user, or promotes an existing one with --admin.</summary>
internal sealed class CreateUserVerb(TextWriter? output = null, TextWriter? error = null) : ICommandLineVerb
{
    private readonly TextWriter _output = output ?? Console.Out;
    private readonly TextWriter _error = error ?? Console.Error;

    public string Name => "create-user";

    public string Usage => "create-user --email E --password P [--admin]   (an existing user is promoted by --admin, never changed otherwise)";

    public async Task<int> RunAsync(IServiceProvider services, CommandLineOptions options, CancellationToken cancellationToken)
    {
        var email = options.Required("email").Trim();
        var password = options.Required("password");
        var admin = options.Has("admin");
        await using var scope = services.CreateAsyncScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<AccountProvisioning>();
        ProvisionedUser result;
        try
        {
            result = await provisioning.EnsureUserAsync(email, password, admin, source: "create-user", cancellationToken);
        }
        catch (AccountRejectedException ex)
        {
            await _error.WriteLineAsync($"Could not create {email}: {ex.Message}");
            return 1;
        }

        if (!result.Created && !result.PromotedToAdmin)
        {
            await _error.WriteLineAsync(admin
                ? $"{email} already exists and is already an admin; nothing changed."
                : $"{email} already exists; nothing changed (add --admin to make them an admin).");
            return admin ? 0 : 1;
        }

        _output.WriteLine(result.Created
            ? $"Created {(admin ? "admin" : "user")} {email}."
            : $"{email} already existed and is now an admin.");
        return 0;
    }
}
