using Catwalk.Tests.Benchmarks;

namespace Catwalk.Tests;

/// <summary>
/// The test assembly's entry point. <c>dotnet run --project Catwalk.Tests -c Release -- benchmark &lt;name&gt;</c>
/// runs a benchmark (never part of the test run); everything else is the xunit runner.
/// </summary>
internal static class TestEntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "benchmark")
        {
            return await BenchmarkCatalog.RunAsync(args[1..]);
        }

        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return await Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions);
        }

        return await Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args);
    }
}
