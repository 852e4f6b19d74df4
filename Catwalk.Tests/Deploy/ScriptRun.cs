using System.Diagnostics;

namespace Catwalk.Tests.Deploy;

/// <summary>
/// Runs a repository script with bash under a clean environment, with stub commands on PATH that record the argv they
/// were given (one NUL-terminated argument each) and their environment.
/// </summary>
internal sealed class ScriptRun : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "catwalk-script-" + Guid.NewGuid().ToString("N")[..10]);

    public ScriptRun(params string[] stubs)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        foreach (var stub in stubs)
        {
            var path = Path.Combine(_dir, "bin", stub);
            File.WriteAllText(path, $$"""
                #!/bin/sh
                for a in "$@"; do printf '%s\0' "$a"; done > "{{_dir}}/{{stub}}.argv"
                env > "{{_dir}}/{{stub}}.env"
                """.Replace("\r", "", StringComparison.Ordinal) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>A file the script must never create (a canary for command injection).</summary>
    public string Canary => Path.Combine(_dir, "pwned");

    public async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        };
        start.ArgumentList.Add(RepositoryFiles.PathOf(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = Path.Combine(_dir, "bin") + ":/usr/bin:/bin";
        start.Environment["HOME"] = _dir;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The argv the stub received, or null if it never ran.</summary>
    public IReadOnlyList<string>? ArgvOf(string stub)
    {
        var path = Path.Combine(_dir, stub + ".argv");
        return File.Exists(path) ? File.ReadAllText(path).Split('\0')[..^1] : null;
    }

    public IReadOnlyDictionary<string, string> EnvironmentOf(string stub) =>
        File.ReadAllLines(Path.Combine(_dir, stub + ".env"))
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .GroupBy(pair => pair[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
