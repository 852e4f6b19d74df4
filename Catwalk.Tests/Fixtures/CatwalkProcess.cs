using System.Collections.Concurrent;
using System.Diagnostics;
using Catwalk.Tests.Deploy;

namespace Catwalk.Tests.Fixtures;

/// <summary>
/// The real built <c>Catwalk.Web.dll</c> run as its own process with <c>dotnet</c>, as an operator runs it: a clean
/// environment (only PATH, HOME and the .NET variables are inherited) plus the given settings; stdout and stderr are
/// kept apart.
/// </summary>
public sealed class CatwalkProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private CatwalkProcess(Process process)
    {
        _process = process;
        _stdout = Pump(process.StandardOutput, StandardOutput);
        _stderr = Pump(process.StandardError, StandardError);
    }

    public static string WebBinaryDirectory { get; } = FindWebBinaryDirectory();

    public ConcurrentQueue<string> StandardOutput { get; } = new();

    public ConcurrentQueue<string> StandardError { get; } = new();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static CatwalkProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = WebBinaryDirectory,
        };
        start.ArgumentList.Add(Path.Combine(WebBinaryDirectory, "Catwalk.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var inherited = start.Environment.Where(v => v.Key is "PATH" or "HOME" || v.Key.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList();
        start.Environment.Clear();
        foreach (var (name, value) in inherited)
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new CatwalkProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>Runs a verb to its end (within two minutes) and returns its exit code and both streams.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(
        IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        await using var run = Start(environment, arguments);
        await run.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (run.ExitCode, Joined(run.StandardOutput), Joined(run.StandardError));
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        await Task.WhenAll(_stdout, _stderr);
    }

    /// <summary>Asks the app to stop as a service manager would (SIGTERM), so it stops its embedded database too.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await WaitForExitAsync(TimeSpan.FromMinutes(1));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }

    private static string Joined(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    private static async Task Pump(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Enqueue(line);
        }
    }

    /// <summary>Catwalk.Web's own build output, of the configuration these tests were built in.</summary>
    private static string FindWebBinaryDirectory()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        var directory = Path.Combine(RepositoryFiles.Root, "Catwalk.Web", "bin", configuration, framework);
        return File.Exists(Path.Combine(directory, "Catwalk.Web.dll"))
            ? directory
            : throw new InvalidOperationException($"Catwalk.Web is not built at {directory}.");
    }
}
