namespace Catwalk.Tests.Benchmarks;

/// <summary>A measurement that prints figures (and ratios against a baseline measured in the same run).</summary>
internal interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
