using System.Text.Json;
using System.Text.RegularExpressions;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Web.Operator;

/// <summary>What a newcomer's console shows on the first start from a clone: the real binary, its own process.</summary>
public sealed partial class FirstStartLogTests(PostgresServer postgres)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_first_start_on_the_embedded_database_logs_timestamped_lines_without_errors_and_says_where_things_are()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "catwalk-first-start-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            await using var app = CatwalkProcess.Start(new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["CATWALK_DATA_DIR"] = dataDirectory,
                ["CATWALK_ADMIN_EMAIL"] = "admin@example.test",
                ["CATWALK_ADMIN_PASSWORD"] = "admin passphrase",
            });

            await Eventually.Until(() => app.StandardOutput.Any(l => l.Contains("Application started", StringComparison.Ordinal)) || app.HasExited,
                "the app has started", StartTimeout);
            await app.StopAsync();
            var lines = app.StandardOutput.ToArray();

            lines.Should().NotBeEmpty();
            lines.Should().OnlyContain(l => TextLine().IsMatch(l), "every console line starts with a UTC timestamp and a level");
            lines.Should().NotContain(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal),
                "a first start is not a failure (EF's read of the missing migrations table is one)");
            lines.Should().ContainSingle(l => l.Contains("Embedded PostgreSQL", StringComparison.Ordinal))
                .Which.Should().Contain(Path.Combine(dataDirectory, "postgres")).And.MatchRegex("listening on 127.0.0.1:\\d+");
            lines.Should().Contain(l => l.Contains("Admin admin@example.test from CATWALK_ADMIN_EMAIL: created", StringComparison.Ordinal));
            var listening = lines.Select(l => ListeningOn().Match(l)).First(m => m.Success).Groups[1].Value;
            lines.Should().Contain(l => l.Contains($"Public URL: {listening}/ (from the first address the app listens on", StringComparison.Ordinal),
                "without PUBLIC_URL, Development uses the address it really listens on, not 5050");
            app.StandardError.Should().BeEmpty();
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task With_CATWALK_LOG_FORMAT_json_every_console_line_is_a_json_object_with_a_timestamp()
    {
        await using var app = CatwalkProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["DATABASE_URL"] = await postgres.CreateEmptyDatabaseAsync(),
            ["CATWALK_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "catwalk-json-log-" + Guid.NewGuid().ToString("N")[..10]),
            ["CATWALK_LOG_FORMAT"] = "json",
        });

        await Eventually.Until(() => app.StandardOutput.Any(l => l.Contains("Application started", StringComparison.Ordinal)) || app.HasExited,
            "the app has started", StartTimeout);
        await app.StopAsync();

        var entries = app.StandardOutput.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        entries.Should().NotBeEmpty();
        entries.Should().OnlyContain(e => HasTimestampAndLevel(e));
        entries.Should().NotContain(e => e.GetProperty("LogLevel").GetString() == "Error", "migrating an empty database is not an error");
        entries.Should().Contain(e => e.GetProperty("Message").GetString()!.StartsWith("Public URL: http://127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_CATWALK_LOG_FORMAT_stops_a_verb_with_one_line_and_exit_code_2()
    {
        var run = await CatwalkProcess.RunAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = await postgres.CreateDatabaseAsync(),
            ["ENCRYPTION_KEY"] = Catwalk.Core.Credentials.FernetKey.Generate().Export(),
            ["CATWALK_LOG_FORMAT"] = "xml",
        }, "migrate");

        run.ExitCode.Should().Be(2);
        run.StandardOutput.Should().BeEmpty();
        run.StandardError.Trim().Should().Contain("CATWALK_LOG_FORMAT is 'xml'").And.Contain("'json'").And.NotContain("\n");
    }

    private static bool HasTimestampAndLevel(JsonElement entry) =>
        DateTimeOffset.TryParse(entry.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _)
        && entry.TryGetProperty("LogLevel", out _);

    /// <summary><c>2026-12-04 03:12:45.123Z info: Category[id] message</c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z (trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex TextLine();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
