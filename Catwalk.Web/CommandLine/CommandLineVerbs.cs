using Catwalk.Core.Persistence;

namespace Catwalk.Web.CommandLine;

/// <summary>Finds and runs the operator verbs (<c>migrate</c>, <c>rotate-keys</c>, ...).</summary>
internal static class CommandLineVerbs
{
    private static readonly ICommandLineVerb[] All =
    [
        new MigrateVerb(),
        new RotateKeysVerb(),
        new CreateUserVerb(),
        new CreateTokenVerb(),
    ];

    /// <summary>The verb named by the first argument, or null to run the web server.</summary>
    public static ICommandLineVerb? Find(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal)
            ? All.FirstOrDefault(v => v.Name == args[0]) ?? throw UnknownVerb(args[0])
            : null;

    public static async Task<int> RunAsync(ICommandLineVerb verb, IServiceProvider services, string[] args)
    {
        try
        {
            return await verb.RunAsync(services, new CommandLineOptions(args[1..]), CancellationToken.None);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\nUsage: dotnet Catwalk.Web.dll {verb.Usage}");
            return 2;
        }
        finally
        {
            // A verb never starts the host, so the host's shutdown hook won't stop the embedded database:
            // stop it here unless it was already running for a web server that is still up.
            if (services.GetService<EmbeddedPostgresCluster>() is { StartedHere: true } cluster)
            {
                cluster.Stop();
            }
        }
    }

    private static CommandLineException UnknownVerb(string name) =>
        new($"Unknown command '{name}'. Commands: {string.Join(", ", All.Select(v => v.Name))}; " +
            "run without a command to start the web server.");
}
