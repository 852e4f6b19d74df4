using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Credentials;

public sealed class CredentialKeyRotationTests(PostgresServer postgres)
{
    private readonly FernetKey _oldKey = FernetKey.Generate();
    private readonly FernetKey _newKey = FernetKey.Generate();

    [Fact]
    public async Task Rotation_leaves_every_row_decryptable_by_the_new_first_key_alone()
    {
        var (cs, expected) = await SeedUnderOldKeyAsync(deployments: 5, perDeployment: 50);
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_newKey, _oldKey));
        var ct = TestContext.Current.CancellationToken;
        var progress = new List<CredentialRotationProgress>();

        var summary = await host.Services.GetRequiredService<CredentialKeyRotation>().RunAsync(100, progress.Add, ct);

        summary.Should().BeEquivalentTo(new CredentialRotationSummary(3, 250, 250, 0, []));
        progress.Select(p => p.Examined).Should().Equal(100, 200, 250);
        progress.Should().OnlyContain(p => p.Total == 250);
        await AssertReadableWithNewKeyAloneAsync(cs, expected);
    }

    [Fact]
    public async Task A_rotation_interrupted_after_its_first_batch_loses_nothing_and_running_it_again_finishes()
    {
        var (cs, expected) = await SeedUnderOldKeyAsync(deployments: 3, perDeployment: 50);
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_newKey, _oldKey));
        var rotation = host.Services.GetRequiredService<CredentialKeyRotation>();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var first = () => rotation.RunAsync(60, _ => interrupt.Cancel(), interrupt.Token);

        await first.Should().ThrowAsync<OperationCanceledException>();
        var rows = await CredentialTestHost.ReadRawAsync(cs);
        var newOnly = new Fernet(_newKey);
        var oldOnly = new Fernet(_oldKey);
        var ring = new FernetKeyRing([_newKey, _oldKey]);
        rows.Take(60).Select(r => newOnly.TryDecrypt(r.Token, null, out _)).Should().AllBeEquivalentTo(true, "the first batch committed");
        rows.Skip(60).Select(r => oldOnly.TryDecrypt(r.Token, null, out _)).Should().AllBeEquivalentTo(true, "later batches never started");
        rows.Select(r => ring.TryDecrypt(r.Token, null, out _)).Should().AllBeEquivalentTo(true);

        var second = await rotation.RunAsync(60, null, TestContext.Current.CancellationToken);

        second.Rotated.Should().Be(90);
        second.AlreadyUnderFirstKey.Should().Be(60);
        second.UndecryptableIds.Should().BeEmpty();
        await AssertReadableWithNewKeyAloneAsync(cs, expected);
        var third = await rotation.RunAsync(60, null, TestContext.Current.CancellationToken);
        third.Rotated.Should().Be(0);
        third.AlreadyUnderFirstKey.Should().Be(150);
    }

    [Fact]
    public async Task A_row_no_key_in_the_ring_decrypts_is_reported_and_left_as_it_was()
    {
        var (cs, _) = await SeedUnderOldKeyAsync(deployments: 1, perDeployment: 3);
        var stranger = new Fernet(FernetKey.Generate()).Encrypt("lost"u8);
        await using (var db = PostgresServer.CreateContext(cs))
        {
            var row = db.Credentials.OrderBy(c => c.Id).First();
            row.FernetToken = stranger;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_newKey, _oldKey));
        var summary = await host.Services.GetRequiredService<CredentialKeyRotation>().RunAsync(100, null, TestContext.Current.CancellationToken);

        var rows = await CredentialTestHost.ReadRawAsync(cs);
        summary.UndecryptableIds.Should().Equal(rows[0].Id);
        summary.Rotated.Should().Be(2);
        rows[0].Token.Should().Be(stranger);
    }

    private async Task<(string ConnectionString, Dictionary<Guid, Dictionary<string, string>> Expected)> SeedUnderOldKeyAsync(int deployments, int perDeployment)
    {
        var cs = await postgres.CreateDatabaseAsync();
        var expected = new Dictionary<Guid, Dictionary<string, string>>();
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_oldKey));
        var vault = host.Services.GetRequiredService<ICredentialVault>();
        for (var d = 0; d < deployments; d++)
        {
            var id = await CredentialTestHost.AddDeploymentAsync(cs);
            expected[id] = Enumerable.Range(0, perDeployment).ToDictionary(i => $"VAR_{i}", i => $"value-{d}-{i}");
            await vault.ReplaceAllAsync(id, expected[id], TestContext.Current.CancellationToken);
        }

        return (cs, expected);
    }

    private async Task AssertReadableWithNewKeyAloneAsync(string cs, Dictionary<Guid, Dictionary<string, string>> expected)
    {
        using var newKeyOnly = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_newKey));
        var vault = newKeyOnly.Services.GetRequiredService<ICredentialVault>();
        foreach (var (deployment, values) in expected)
        {
            (await vault.ReadForMachineAsync(deployment, TestContext.Current.CancellationToken)).Should().BeEquivalentTo(values);
        }
    }
}
