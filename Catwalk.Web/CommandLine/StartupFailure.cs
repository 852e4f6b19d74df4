using Catwalk.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.CommandLine;

/// <summary>
/// A setting that is missing or wrong stops the app with one line that names it and says how to fix it, and exit code
/// 2: an operator needs that line, not a stack trace. Anything else is a bug and keeps its stack trace.
/// </summary>
internal static class StartupFailure
{
    public const int ExitCode = 2;

    /// <summary>The line to print, or null when <paramref name="exception"/> is not a configuration problem.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException options => string.Join(" ", options.Failures),
        ConfigurationException configuration => configuration.Message,
        CommandLineException usage => usage.Message,
        AggregateException { InnerExceptions.Count: > 0 } all when all.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join(" ", all.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };

    public static int Report(string message)
    {
        Console.Error.WriteLine("Catwalk cannot start: " + message);
        return ExitCode;
    }
}
