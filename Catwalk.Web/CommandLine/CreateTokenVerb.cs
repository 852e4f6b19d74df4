using Catwalk.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Catwalk.Web.CommandLine;

/// <summary>
/// <c>create-token --email E --name N</c>: issues a personal API token for an existing user and prints only the
/// token, so scripts can capture it (<c>TOKEN=$(dotnet Catwalk.Web.dll create-token ...)</c>).
/// </summary>
internal sealed class CreateTokenVerb(TextWriter? output = null, TextWriter? error = null) : ICommandLineVerb
{
    private readonly TextWriter _output = output ?? Console.Out;
    private readonly TextWriter _error = error ?? Console.Error;

    public string Name => "create-token";

    public string Usage => "create-token --email E --name N   (prints the new personal API token and nothing else)";

    public async Task<int> RunAsync(IServiceProvider services, CommandLineOptions options, CancellationToken cancellationToken)
    {
        var email = options.Required("email").Trim();
        var name = options.Required("name").Trim();
        if (name.Length > PersonalApiTokens.MaxNameLength)
        {
            throw new CommandLineException($"--name has at most {PersonalApiTokens.MaxNameLength} characters.");
        }

        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            await _error.WriteLineAsync($"There is no user {email}. Create one first with create-user.");
            return 1;
        }

        var issued = await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(user.Id, name, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<AuditLog>()
            .RecordAsync(user.Id, AuditActions.TokenCreated, name, "create-token", cancellationToken);
        _output.WriteLine(issued.Token);
        return 0;
    }
}
