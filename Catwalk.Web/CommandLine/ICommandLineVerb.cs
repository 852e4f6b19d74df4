namespace Catwalk.Web.CommandLine;

/// <summary>An operator command run as <c>dotnet Catwalk.Web.dll &lt;verb&gt; [options]</c> instead of the web server.</summary>
internal interface ICommandLineVerb
{
    string Name { get; }

    string Usage { get; }

    Task<int> RunAsync(IServiceProvider services, CommandLineOptions options, CancellationToken cancellationToken);
}
