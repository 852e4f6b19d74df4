using Catwalk.Core.Machines.Local;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Logging;

namespace Catwalk.Tests.Machines.Local;

public sealed class BridgeLoggerFactoryTests
{
    [Fact]
    public void A_bridges_host_lifetime_lines_stay_out_of_the_apps_log_and_its_other_lines_reach_it()
    {
        var captured = new CapturedLogs();
        using var appLoggers = LoggerFactory.Create(logging => logging.AddProvider(captured));
        var bridgeLoggers = new BridgeLoggerFactory(appLoggers);

        bridgeLoggers.CreateLogger("Microsoft.Hosting.Lifetime").LogInformation("Application started. Press Ctrl+C to shut down.");
        bridgeLoggers.CreateLogger("ModelContextProtocol.Server").LogWarning("session ended");
        bridgeLoggers.Dispose();
        appLoggers.CreateLogger("Catwalk").LogInformation("the app's factory still works");

        captured.Lines.Should().HaveCount(2);
        captured.Lines.Should().Contain(l => l.Contains("session ended", StringComparison.Ordinal))
            .And.NotContain(l => l.Contains("Ctrl+C", StringComparison.Ordinal));
    }
}
