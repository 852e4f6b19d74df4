namespace Catwalk.Tests.Benchmarks;

/// <summary>The benchmarks <c>dotnet run --project Catwalk.Tests -c Release -- benchmark &lt;name&gt;</c> knows.</summary>
internal static class BenchmarkCatalog
{
    private static readonly IBenchmark[] All =
    [
        new AnalysisAccuracyBenchmark(),
        new ForwardingBenchmark(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var benchmark = args.Length > 0 ? All.FirstOrDefault(b => b.Name == args[0]) : null;
        if (benchmark is null)
        {
            Console.Error.WriteLine("Usage: dotnet run --project Catwalk.Tests -c Release -- benchmark <name> [options]");
            foreach (var b in All)
            {
                Console.Error.WriteLine($"  {b.Name,-12} {b.Description}");
            }

            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await benchmark.RunAsync(args[1..], cancel.Token);
    }
}
