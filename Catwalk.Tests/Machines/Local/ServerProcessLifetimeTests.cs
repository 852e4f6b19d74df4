using System.Text;
using Catwalk.Core.Machines.Local;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catwalk.Tests.Machines.Local;

/// <summary>
/// A sandboxed server lives as long as Catwalk, not as long as the thread that happened to start it. bubblewrap's
/// <c>--die-with-parent</c> follows the forking thread; the thread pool retires idle threads, and servers died with them
/// (exit code 137, no output) in the middle of healthy runs.
/// </summary>
public sealed class ServerProcessLifetimeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catwalk-lifetime-").FullName;

    [Fact]
    public async Task A_sandboxed_server_keeps_running_after_the_thread_that_started_it_exits()
    {
        var options = new LocalSandboxOptions { Mode = LocalSandboxMode.Bwrap, BwrapPath = "/usr/bin/bwrap", Directory = Path.Combine(_directory, "sandboxes") };
        var sandbox = new ServerSandbox(options, NullLogger.Instance);
        var workingDirectory = Path.Combine(_directory, "work");
        var launch = sandbox.Prepare("local-lifetime", new ServerCommandLine("/bin/cat", []), workingDirectory, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" });
        launch.CommandLine.Arguments.Should().Contain("--die-with-parent", "the sandbox must die with Catwalk");

        McpServerProcess? server = null;
        string? starterTask = null;
        var starter = new Thread(() =>
        {
            // /proc/thread-self names this OS thread: "<pid>/task/<tid>".
            starterTask = new FileInfo("/proc/thread-self").LinkTarget;
            server = McpServerProcess.StartAsync(launch.CommandLine, launch.WorkingDirectory, launch.Environment, new OutputTail(50, new HostPathScrubber(workingDirectory)))
                .GetAwaiter().GetResult();
        });
        starter.Start();
        starter.Join();
        using var started = server ?? throw new InvalidOperationException("The server did not start.");
        await Eventually.Until(() => !Directory.Exists(Path.Combine("/proc", starterTask!)), "the starting thread is gone from the kernel too");

        // A parent-death signal is sent while the thread exits: if one was due, cat is dead by now and the echo fails.
        var line = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"still-here\"}\n");
        await started.Input.WriteAsync(line, TestContext.Current.CancellationToken);
        await started.Input.FlushAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[line.Length];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await started.Output.ReadExactlyAsync(buffer, timeout.Token);
        Encoding.UTF8.GetString(buffer).Should().Be(Encoding.UTF8.GetString(line));
        // The echo took a few pipe round trips: a killed root is a zombie or reaped by now.
        ProcessTree.IsAlive(started.Id).Should().BeTrue("the sandbox's root process is alive, not a zombie");
        started.Exited.IsCompleted.Should().BeFalse();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
