using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Web.Operator;

/// <summary>The web server started as an operator starts it (the real binary, its own process) with a bad setting.</summary>
public sealed class ServerStartProcessTests(PostgresServer postgres)
{
    [Theory]
    [InlineData("ENCRYPTION_KEY", "not-a-fernet-key", "ENCRYPTION_KEY is malformed")]
    [InlineData("CATWALK_REGISTRATION", "maybe", "CATWALK_REGISTRATION is 'maybe': set it to 'open'")]
    [InlineData("CATWALK_IDLE_TIMEOUT", "forever", "CATWALK_IDLE_TIMEOUT is 'forever': use 30s, 15m, 2h")]
    [InlineData("CATWALK_ADMIN_EMAIL", "root@example.test", "CATWALK_ADMIN_EMAIL and CATWALK_ADMIN_PASSWORD go together")]
    [InlineData("CATWALK_LOG_FORMAT", "xml", "CATWALK_LOG_FORMAT")]
    public async Task A_bad_setting_stops_the_server_with_one_line_naming_the_variable_and_exit_code_2(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["DATABASE_URL"] = await postgres.CreateDatabaseAsync(),
            [variable] = value,
        };

        await using var app = CatwalkProcess.Start(environment);
        await app.WaitForExitAsync(TimeSpan.FromMinutes(2));

        app.ExitCode.Should().Be(2);
        var errors = app.StandardError.ToArray();
        errors.Should().ContainSingle("one line says what is wrong").Which.Should().StartWith("Catwalk cannot start: ").And.Contain(expected);
        string.Join('\n', app.StandardOutput.Concat(errors)).Should().NotContain("   at ", "an expected misconfiguration is not a crash")
            .And.NotContain("Exception", "no exception type or stack trace reaches the operator");
    }

    [Fact]
    public async Task A_bad_setting_on_the_embedded_database_stops_the_cluster_it_started()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "catwalk-bad-start-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            await using var app = CatwalkProcess.Start(new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["CATWALK_DATA_DIR"] = dataDirectory,
                ["CATWALK_REGISTRATION"] = "maybe",
            });
            await app.WaitForExitAsync(TimeSpan.FromMinutes(2));

            app.ExitCode.Should().Be(2);
            app.StandardError.Should().ContainSingle().Which.Should().Contain("CATWALK_REGISTRATION");
            File.Exists(Path.Combine(dataDirectory, "postgres", "data", "PG_VERSION")).Should().BeTrue("the cluster was initialised");
            File.Exists(Path.Combine(dataDirectory, "postgres", "data", "postmaster.pid")).Should().BeFalse("no PostgreSQL is left running");
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
