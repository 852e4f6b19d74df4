using System.Diagnostics;
using System.Text;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// One run of a deployment's stdio MCP server: the child process tree started by npx or uvx, its stdio
/// pipes, and its stderr going to the machine's log tail.
/// </summary>
internal sealed class McpServerProcess : IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly OutputTail _log;
    private Stream? _output;

    private McpServerProcess(Process process, OutputTail log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The server's stdin: JSON-RPC messages to the server.</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>The server's stdout: JSON-RPC messages from the server (other lines also go to the log).</summary>
    public Stream Output => _output ??= new StdoutTap(_process.StandardOutput.BaseStream, line => _log.Add("[stdout] " + line));

    /// <summary>Completes with the exit code when the process (the root of the tree) exits.</summary>
    public Task<int> Exited => _exited.Task;

    public static async Task<McpServerProcess> StartAsync(ServerCommandLine commandLine, string workingDirectory, IReadOnlyDictionary<string, string> environment, OutputTail stderr)
    {
        Directory.CreateDirectory(workingDirectory);
        var startInfo = new ProcessStartInfo
        {
            FileName = commandLine.FileName,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (var argument in commandLine.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Start from nothing, not from a copy of the host's environment.
        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new McpServerProcess(process, stderr);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stderr.Add(e.Data);
            }
        };
        process.Exited += (_, _) => server._exited.TrySetResult(SafeExitCode(process));
        try
        {
            await ProcessLauncherThread.StartAsync(process);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginErrorReadLine();
        if (HasExited(process))
        {
            server._exited.TrySetResult(SafeExitCode(process));
        }

        return server;
    }

    /// <summary>Kills the whole tree (npx, the shell it spawns, the server) so nothing is left behind.</summary>
    public void KillTree()
    {
        try
        {
            if (!HasExited(_process))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile, or already being torn down.
        }
    }

    /// <summary>Kills the tree and waits (bounded) for the root to be reaped.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        KillTree();
        await Task.WhenAny(Exited, Task.Delay(timeout));
    }

    public void Dispose()
    {
        KillTree();
        _process.Dispose();
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
