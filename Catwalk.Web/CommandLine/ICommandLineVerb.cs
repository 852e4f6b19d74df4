namespace Catwalk.Web.CommandLine;

/// <summary>An operator command run as <c>dotnet Catwalk.Web.dll &lt;verb&gt; [options]</c> instead of the web server.</summary>
internal interface ICommandLineVerb
{
    string Name { get; }

    string Usage { get; }

    /// <summary>Whether the verb reads the app's tables: it then runs only against a migrated database (see <see cref="CommandLineVerbs"/>).</summary>
    bool NeedsMigratedDatabase => true;

    Task<int> RunAsync(IServiceProvider services, CommandLineOptions options, CancellationToken cancellationToken);
}
