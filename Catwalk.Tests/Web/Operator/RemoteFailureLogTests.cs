using System.Net;
using System.Net.Sockets;
using Catwalk.Core.Analysis;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Web.Operator;

/// <summary>An expected remote failure reads as one line with its reason, not as pages of retry stack traces.</summary>
public sealed class RemoteFailureLogTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_analysis_that_cannot_reach_GitHub_logs_one_warning_with_the_reason_and_its_retries_at_debug()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        var logs = new CapturedLogs().AddTo(app);
        app.Settings["GITHUB_API_BASE_URL"] = $"http://127.0.0.1:{ClosedLoopbackPort()}/";
        _ = app.BaseAddress;
        logs.Lines.Clear();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var analyze = () => scope.ServiceProvider.GetRequiredService<IRepositoryAnalyzer>()
                .AnalyzeAsync("https://github.com/kagisearch/kagimcp", AnalysisRequest.Default, null, TestContext.Current.CancellationToken);
            await analyze.Should().ThrowAsync<AnalysisFailedException>();
        }

        var loud = logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)
                                         || l.StartsWith("Critical", StringComparison.Ordinal)).ToArray();
        loud.Should().ContainSingle().Which.Should().Contain("GitHub could not be reached").And.Contain("Connection refused");
        loud.Should().NotContain(l => l.Contains("   at ", StringComparison.Ordinal), "an unreachable host is expected, not a crash");
        logs.Lines.Should().Contain(l => l.StartsWith("Debug Polly", StringComparison.Ordinal) && l.Contains("OnRetry", StringComparison.Ordinal),
            "the retries are still there for whoever turns Debug on");
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
