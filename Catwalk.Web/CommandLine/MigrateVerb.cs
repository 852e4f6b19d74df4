using Catwalk.Core.Persistence;

namespace Catwalk.Web.CommandLine;

/// <summary><c>migrate</c>: applies pending database migrations (Fly's release_command runs it).</summary>
internal sealed class MigrateVerb : ICommandLineVerb
{
    public string Name => "migrate";

    public string Usage => "migrate";

    public bool NeedsMigratedDatabase => false;

    public async Task<int> RunAsync(IServiceProvider services, CommandLineOptions options, CancellationToken cancellationToken)
    {
        var migrator = services.GetRequiredService<DatabaseMigrator>();
        var pending = await migrator.PendingAsync(cancellationToken);
        await migrator.MigrateAsync(cancellationToken);
        Console.WriteLine(pending.Count == 0
            ? "The database is up to date."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        return 0;
    }
}
