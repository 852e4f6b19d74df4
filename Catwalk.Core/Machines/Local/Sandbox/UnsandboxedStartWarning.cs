using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>With <c>CATWALK_LOCAL_SANDBOX=none</c>, every start of the app says, as a warning, that servers run unsandboxed.</summary>
internal sealed partial class UnsandboxedStartWarning(IOptions<LocalSandboxOptions> options, ILogger<UnsandboxedStartWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Mode == LocalSandboxMode.None)
        {
            LogUnsandboxed(logger, LocalSandboxOptions.ModeVariable, LocalSandboxOptions.InstallHint);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Variable}=none: local MCP servers run WITHOUT a sandbox, as this app's own user, and can read its data directory, its encryption key and other deployments' credentials. Install bubblewrap ({Hint}) and unset {Variable} before letting people you do not trust deploy.")]
    private static partial void LogUnsandboxed(ILogger logger, string variable, string hint);
}
