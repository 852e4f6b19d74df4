using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Machines.Local;

/// <summary>Says at start what the local runtime can run on this host, and what to install for the rest.</summary>
internal sealed partial class LocalRuntimePrerequisitesReport(LocalRuntimePrerequisites prerequisites, ILogger<LocalRuntimePrerequisitesReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var tool in prerequisites.Tools)
        {
            if (tool.FoundAt is { } path)
            {
                LogFound(logger, tool.Purpose, tool.Command, path);
            }
            else
            {
                LogMissing(logger, tool.Purpose, tool.Command, tool.HowToInstall);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Local runtime: {Purpose} run with {Command} ({Path})")]
    private static partial void LogFound(ILogger logger, string purpose, string command, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local runtime: {Purpose} cannot run here, '{Command}' was not found on PATH: {HowToInstall}")]
    private static partial void LogMissing(ILogger logger, string purpose, string command, string howToInstall);
}
