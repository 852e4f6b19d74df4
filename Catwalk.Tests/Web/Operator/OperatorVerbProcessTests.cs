using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Web.Operator;

/// <summary>The operator verbs run as the README shows them: the real binary, its own process, stdout captured by a shell.</summary>
public sealed class OperatorVerbProcessTests(PostgresServer postgres)
{
    [Fact]
    public async Task Create_token_as_a_process_prints_exactly_the_token_on_stdout_and_its_logs_on_stderr()
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = await postgres.CreateDatabaseAsync(),
            ["ENCRYPTION_KEY"] = FernetKey.Generate().Export(),
        };

        var user = await CatwalkProcess.RunAsync(environment, "create-user", "--email", "ops@example.test", "--password", "operator passphrase");
        var token = await CatwalkProcess.RunAsync(environment, "create-token", "--email", "ops@example.test", "--name", "ci");

        user.ExitCode.Should().Be(0, user.StandardError);
        user.StandardOutput.Should().Be("Created user ops@example.test.\n");
        token.ExitCode.Should().Be(0, token.StandardError);
        token.StandardOutput.Should().MatchRegex("^cwp_[A-Za-z0-9_-]{43}\\n$", "TOKEN=$(... create-token ...) must hold the token and nothing else");
    }

    [Fact]
    public async Task A_verb_against_a_database_behind_the_code_outside_Development_exits_2_saying_to_run_migrate_and_changes_nothing()
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = await postgres.CreateEmptyDatabaseAsync(),
            ["ENCRYPTION_KEY"] = FernetKey.Generate().Export(),
        };

        var run = await CatwalkProcess.RunAsync(environment, "rotate-keys");

        run.ExitCode.Should().Be(2, run.StandardError);
        run.StandardOutput.Should().BeEmpty();
        run.StandardError.Should().Contain("pending migration(s)").And.Contain("Run 'dotnet Catwalk.Web.dll migrate'")
            .And.NotContain("   at ", "a database not yet migrated is not a crash");
        var migrate = await CatwalkProcess.RunAsync(environment, "migrate");
        migrate.ExitCode.Should().Be(0, migrate.StandardError);
        migrate.StandardOutput.Should().StartWith("Applied ", "the refused verb migrated nothing");
        var again = await CatwalkProcess.RunAsync(environment, "rotate-keys");
        again.ExitCode.Should().Be(0, again.StandardError);
    }

    [Fact]
    public async Task A_verb_without_ENCRYPTION_KEY_outside_Development_exits_2_with_one_line_naming_the_variable()
    {
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = await postgres.CreateDatabaseAsync() };

        var run = await CatwalkProcess.RunAsync(environment, "create-token", "--email", "ops@example.test", "--name", "ci");

        run.ExitCode.Should().Be(2);
        run.StandardOutput.Should().BeEmpty();
        var lines = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().Contain("ENCRYPTION_KEY is not set").And.Contain("Generate a key");
        run.StandardError.Should().NotContain("   at ", "an expected misconfiguration is not a crash");
    }

    [Fact]
    public async Task A_malformed_DATABASE_URL_stops_a_verb_with_exit_code_2_and_what_to_write_instead()
    {
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = "mysql://nope", ["ENCRYPTION_KEY"] = FernetKey.Generate().Export() };

        var run = await CatwalkProcess.RunAsync(environment, "migrate");

        run.ExitCode.Should().Be(2);
        run.StandardOutput.Should().BeEmpty();
        run.StandardError.Trim().Should().StartWith("Catwalk cannot start: DATABASE_URL is not a valid PostgreSQL connection string")
            .And.NotContain("   at ").And.NotContain("\n");
    }

    [Theory]
    [InlineData("CATWALK_READY_TIMEOUT", "soon", "a plain number of seconds")]
    [InlineData("CATWALK_IDLE_TIMEOUT", "-5", "a plain number of minutes")]
    [InlineData("CATWALK_MCP_STREAM_IDLE_TIMEOUT", "forever", "a plain number of seconds")]
    public async Task A_bad_duration_stops_a_verb_with_exit_code_2_and_one_line_naming_the_variable_and_the_forms_accepted(
        string variable, string value, string unit)
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = await postgres.CreateDatabaseAsync(),
            ["ENCRYPTION_KEY"] = FernetKey.Generate().Export(),
            [variable] = value,
        };

        var run = await CatwalkProcess.RunAsync(environment, "migrate");

        run.ExitCode.Should().Be(2);
        run.StandardOutput.Should().BeEmpty();
        run.StandardError.Trim().Should().StartWith($"Catwalk cannot start: {variable} is '{value}': use 30s, 15m, 2h, hh:mm:ss or {unit}")
            .And.NotContain("   at ").And.NotContain("\n");
    }

    [Fact]
    public async Task An_unknown_verb_is_one_line_listing_the_verbs_with_exit_code_2()
    {
        var run = await CatwalkProcess.RunAsync(new Dictionary<string, string>(), "make-coffee");

        run.ExitCode.Should().Be(2);
        run.StandardError.Trim().Should().Contain("Unknown command 'make-coffee'").And.Contain("create-token").And.NotContain("   at ");
    }
}
