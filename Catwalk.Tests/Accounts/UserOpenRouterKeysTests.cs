using Catwalk.Core.Accounts;
using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

public sealed class UserOpenRouterKeysTests(PostgresServer postgres)
{
    private const string Key = "sk-or-v1-0123456789abcdef0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_set_key_is_stored_encrypted_and_read_back_only_for_analysis()
    {
        var cs = await postgres.CreateDatabaseAsync();
        var encryptionKey = FernetKey.Generate();
        using var host = AccountsTestHost.Build(cs, encryptionKey.Export());
        var keys = host.Services.CreateScope().ServiceProvider.GetRequiredService<UserOpenRouterKeys>();
        var userId = await AccountsTestHost.AddUserAsync(cs, "a@example.com");
        (await keys.IsSetAsync(userId, Ct)).Should().BeFalse();

        await keys.SetAsync(userId, Key, Ct);

        (await keys.IsSetAsync(userId, Ct)).Should().BeTrue();
        (await keys.ReadForAnalysisAsync(userId, Ct)).Should().Be(Key);
        await using var db = PostgresServer.CreateContext(cs);
        var stored = await db.UserOpenRouterKeys.SingleAsync(Ct);
        stored.FernetToken.Should().NotContain(Key);
        new Fernet(encryptionKey).TryDecrypt(stored.FernetToken, null, out var plain).Should().BeTrue();
        System.Text.Encoding.UTF8.GetString(plain!).Should().Be(Key);
    }

    [Fact]
    public async Task Setting_again_replaces_the_key_and_removing_clears_it()
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = AccountsTestHost.Build(cs);
        var keys = host.Services.CreateScope().ServiceProvider.GetRequiredService<UserOpenRouterKeys>();
        var alice = await AccountsTestHost.AddUserAsync(cs, "alice@example.com");
        var bob = await AccountsTestHost.AddUserAsync(cs, "bob@example.com");
        await keys.SetAsync(alice, Key, Ct);
        await keys.SetAsync(bob, "sk-bob", Ct);

        await keys.SetAsync(alice, "sk-or-second", Ct);
        (await keys.ReadForAnalysisAsync(alice, Ct)).Should().Be("sk-or-second");

        (await keys.RemoveAsync(alice, Ct)).Should().BeTrue();
        (await keys.IsSetAsync(alice, Ct)).Should().BeFalse();
        (await keys.ReadForAnalysisAsync(alice, Ct)).Should().BeNull();
        (await keys.RemoveAsync(alice, Ct)).Should().BeFalse();
        (await keys.ReadForAnalysisAsync(bob, Ct)).Should().Be("sk-bob", "another user's key is untouched");
    }

    [Fact]
    public async Task A_key_saved_under_a_dropped_encryption_key_reads_as_none()
    {
        var cs = await postgres.CreateDatabaseAsync();
        var userId = await AccountsTestHost.AddUserAsync(cs, "a@example.com");
        using (var before = AccountsTestHost.Build(cs))
        {
            await before.Services.CreateScope().ServiceProvider.GetRequiredService<UserOpenRouterKeys>().SetAsync(userId, Key, Ct);
        }

        using var after = AccountsTestHost.Build(cs);
        (await after.Services.CreateScope().ServiceProvider.GetRequiredService<UserOpenRouterKeys>().ReadForAnalysisAsync(userId, Ct))
            .Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public async Task A_blank_or_spaced_key_is_refused(string key)
    {
        var cs = await postgres.CreateDatabaseAsync();
        using var host = AccountsTestHost.Build(cs);
        var keys = host.Services.CreateScope().ServiceProvider.GetRequiredService<UserOpenRouterKeys>();

        var act = () => keys.SetAsync("someone", key, Ct);

        await act.Should().ThrowAsync<ArgumentException>();
    }
}
