using System.Collections.Concurrent;
using System.Diagnostics;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Starts server processes from one thread that lives as long as Catwalk. bubblewrap's <c>--die-with-parent</c> is
/// Linux's parent-death signal, which fires when the <em>thread</em> that forked the process exits, not the process: a
/// server started from a thread-pool thread was SIGKILLed (exit code 137, no output) whenever the pool retired that
/// thread, minutes into a healthy run. Forked from here, a server dies with Catwalk and only with Catwalk.
/// </summary>
internal static class ProcessLauncherThread
{
    private static readonly BlockingCollection<Action> Work = [];

    static ProcessLauncherThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var start in Work.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "Catwalk server launcher",
        };
        thread.Start();
    }

    /// <summary>Runs <see cref="Process.Start()"/> on the launcher thread; completes once it has run. The caller's
    /// thread is not held meanwhile (machines started together at boot queue here, not on blocked pool threads).</summary>
    public static Task StartAsync(Process process)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                process.Start();
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return done.Task;
    }
}
