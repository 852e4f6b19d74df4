using System.Text;
using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Catwalk.Tests.Credentials;

public sealed class CredentialVaultTests(PostgresServer postgres)
{
    private readonly FernetKey _key = FernetKey.Generate();

    [Fact]
    public async Task The_table_holds_no_plaintext_only_tokens_the_first_key_decrypts()
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_key));
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        var vault = host.Services.GetRequiredService<ICredentialVault>();

        await vault.ReplaceAllAsync(deployment, new Dictionary<string, string>
        {
            ["API_KEY"] = "sk-live-PLAINTEXT-4242",
            ["REGION"] = "eu-west-PLAINTEXT",
        }, TestContext.Current.CancellationToken);

        var everything = await ReadWholeTableAsTextAsync(cs);
        everything.Should().Contain("API_KEY").And.NotContain("PLAINTEXT");
        var rows = await CredentialTestHost.ReadRawAsync(cs);
        rows.Should().HaveCount(2);
        var fernet = new Fernet(_key);
        rows.ToDictionary(r => r.Name, r => Encoding.UTF8.GetString(fernet.Decrypt(r.Token))).Should().BeEquivalentTo(
            new Dictionary<string, string> { ["API_KEY"] = "sk-live-PLAINTEXT-4242", ["REGION"] = "eu-west-PLAINTEXT" });
    }

    [Fact]
    public async Task Invalid_names_are_refused_with_a_message_for_each_and_nothing_is_written()
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_key));
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        var vault = host.Services.GetRequiredService<ICredentialVault>();

        var act = () => vault.ReplaceAllAsync(deployment, new Dictionary<string, string>
        {
            ["GOOD_NAME"] = "x",
            ["1STARTS_WITH_DIGIT"] = "y",
            ["has-dash; rm -rf /"] = "z",
        }, TestContext.Current.CancellationToken);

        var error = (await act.Should().ThrowAsync<CredentialValidationException>()).Which;
        error.Problems.Should().HaveCount(2);
        error.Problems.Should().ContainMatch("'1STARTS_WITH_DIGIT' is not a valid environment variable name*")
            .And.ContainMatch("'has-dash; rm -rf /' is not a valid environment variable name*");
        (await CredentialTestHost.ReadRawAsync(cs)).Should().BeEmpty();
    }

    [Fact]
    public async Task Saving_a_set_replaces_the_previous_one_and_deletes_names_no_longer_present()
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_key));
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        var other = await CredentialTestHost.AddDeploymentAsync(cs);
        var vault = host.Services.GetRequiredService<ICredentialVault>();
        var ct = TestContext.Current.CancellationToken;
        await vault.ReplaceAllAsync(deployment, new Dictionary<string, string> { ["A"] = "1", ["B"] = "2", ["C"] = "3" }, ct);
        await vault.ReplaceAllAsync(other, new Dictionary<string, string> { ["A"] = "other" }, ct);

        await vault.ReplaceAllAsync(deployment, new Dictionary<string, string> { ["D"] = "4", ["B"] = "changed", ["empty"] = "" }, ct);

        (await vault.ListNamesAsync(deployment, ct)).Should().Equal("B", "D", "empty");
        (await vault.ReadForMachineAsync(deployment, ct)).Should().BeEquivalentTo(
            new Dictionary<string, string> { ["B"] = "changed", ["D"] = "4", ["empty"] = "" });
        (await vault.ReadForMachineAsync(other, ct)).Should().BeEquivalentTo(new Dictionary<string, string> { ["A"] = "other" });

        await vault.ReplaceAllAsync(deployment, new Dictionary<string, string>(), ct);
        (await vault.ListNamesAsync(deployment, ct)).Should().BeEmpty();
        (await vault.ListNamesAsync(other, ct)).Should().Equal("A");
    }

    [Fact]
    public async Task Saving_for_a_deployment_that_does_not_exist_is_refused()
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_key));
        var vault = host.Services.GetRequiredService<ICredentialVault>();
        var missing = Guid.NewGuid();

        var act = () => vault.ReplaceAllAsync(missing, new Dictionary<string, string> { ["A"] = "1" }, TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage($"*{missing}*does not exist*");
    }

    [Fact]
    public async Task After_a_key_change_old_values_still_read_while_the_old_key_stays_in_the_ring()
    {
        var cs = await postgres.CreateDatabaseAsync();
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        var ct = TestContext.Current.CancellationToken;
        using (var before = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_key)))
        {
            await before.Services.GetRequiredService<ICredentialVault>()
                .ReplaceAllAsync(deployment, new Dictionary<string, string> { ["TOKEN"] = "kept" }, ct);
        }

        var newKey = FernetKey.Generate();
        using var rotatedRing = CredentialTestHost.Build(cs, CredentialTestHost.Ring(newKey, _key));
        using var newKeyOnly = CredentialTestHost.Build(cs, CredentialTestHost.Ring(newKey));

        (await rotatedRing.Services.GetRequiredService<ICredentialVault>().ReadForMachineAsync(deployment, ct))
            .Should().BeEquivalentTo(new Dictionary<string, string> { ["TOKEN"] = "kept" });
        var act = () => newKeyOnly.Services.GetRequiredService<ICredentialVault>().ReadForMachineAsync(deployment, ct);
        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*TOKEN*ENCRYPTION_KEY*")
            .Which.Message.Should().NotContain("kept");
    }

    [Fact]
    public async Task Concurrent_saves_of_one_deployment_queue_instead_of_colliding()
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_key));
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        var vault = host.Services.GetRequiredService<ICredentialVault>();
        var ct = TestContext.Current.CancellationToken;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => vault.ReplaceAllAsync(
            deployment, new Dictionary<string, string> { ["SHARED"] = $"v{i}", [$"ONLY_{i}"] = "x" }, ct)));

        var names = await vault.ListNamesAsync(deployment, ct);
        names.Should().HaveCount(2).And.Contain("SHARED");
    }

    private static async Task<string> ReadWholeTableAsTextAsync(string connectionString)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT coalesce(string_agg(row_to_json(c)::text, '\n'), '') FROM credentials c", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
