using System.Reflection;
using Catwalk.Core.Persistence;
using Catwalk.Web.CommandLine;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Hosting;

/// <summary>
/// Starts the web server as an operator runs it: the settings are checked before anything touches the database, and a
/// missing or wrong one stops the app with one line on stderr naming the variable and exit code 2, like the verbs
/// (<see cref="StartupFailure"/>); the embedded database it started is stopped again. A test host that runs this entry
/// point inside its own process (<c>WebApplicationFactory</c>) gets the exception instead, as it expects.
/// </summary>
internal static class WebServerStart
{
    public static async Task<int> RunAsync(Func<WebApplication> build, Func<WebApplication, Task> run)
    {
        WebApplication? app = null;
        try
        {
            app = build();
            // The checks Host.StartAsync would make (ValidateOnStart), made first: a bad setting is reported before the
            // database starts, and not also logged by the host as a failed start with its stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await run(app);
            return 0;
        }
        catch (Exception ex) when (IsOperatorProcess && StartupFailure.Describe(ex) is { } problem)
        {
            app?.Services.GetService<EmbeddedPostgresCluster>()?.StopIfStartedHere();
            return StartupFailure.Report(problem);
        }
    }

    /// <summary>True when Catwalk.Web is the process's own program, not an entry point a test host invokes.</summary>
    private static bool IsOperatorProcess => Assembly.GetEntryAssembly() == typeof(WebServerStart).Assembly;
}
