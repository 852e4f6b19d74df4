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

    /// <summary>True when the first argument names a command (known or not) rather than a host setting.</summary>
    public static bool IsVerb(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal);

    /// <summary>The verb named by the first argument, or null to run the web server.</summary>
    public static ICommandLineVerb? Find(string[] args) =>
        IsVerb(args) ? All.FirstOrDefault(v => v.Name == args[0]) ?? throw UnknownVerb(args[0]) : null;

    /// <summary>
    /// Runs the verb of <paramref name="args"/> against a host that <paramref name="build"/> composes (never started).
    /// A usage mistake or a missing or wrong setting is one line on stderr and exit code 2, without a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<WebApplication> build)
    {
        try
        {
            var verb = Find(args)!;
            await using var app = build();
            // The checks the web server makes at start (ValidateOnStart), made before any verb touches the database.
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            return await RunAsync(verb, app.Services, args);
        }
        catch (Exception ex) when (StartupFailure.Describe(ex) is { } problem)
        {
            return StartupFailure.Report(problem);
        }
    }

    public static async Task<int> RunAsync(ICommandLineVerb verb, IServiceProvider services, string[] args)
    {
        try
        {
            if (verb.NeedsMigratedDatabase)
            {
                // As the web server does at start: Development migrates, elsewhere a database behind the code is one
                // line saying to run 'migrate' (a verb against it failed with a stack trace on a missing table).
                await services.GetRequiredService<DatabaseMigrator>().PrepareAsync(CancellationToken.None);
            }

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
            services.GetService<EmbeddedPostgresCluster>()?.StopIfStartedHere();
        }
    }

    private static CommandLineException UnknownVerb(string name) =>
        new($"Unknown command '{name}'. Commands: {string.Join(", ", All.Select(v => v.Name))}; " +
            "run without a command to start the web server.");
}
