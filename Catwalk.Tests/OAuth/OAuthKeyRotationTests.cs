using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.OAuth;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static Catwalk.Tests.OAuth.OAuthClientSteps;

namespace Catwalk.Tests.OAuth;

/// <summary>
/// Key rotation: OAuth tokens are protected by the data protection key ring (in the database, Fernet-encrypted) and the
/// server's RSA keys rotate on their own schedule; in both, what was issued before a rotation keeps validating and what
/// is issued after uses the new key.
/// </summary>
public sealed class OAuthKeyRotationTests(PostgresServer postgres)
{
    [Fact]
    public async Task Tokens_issued_before_a_key_ring_rotation_still_open_the_endpoint_and_new_ones_use_the_new_key()
    {
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var deploymentId = await host.AddStoppedDeploymentAsync("rotation");
        using var http = new HttpClient();
        var client = await ConnectAsync(http, host, deploymentId, OAuthTestHost.OwnerEmail);
        var tokens = host.App.Services.GetRequiredService<OAuthAccessTokens>();
        var ct = TestContext.Current.CancellationToken;
        var before = KeyIdOf(client.AccessToken);

        // What data protection does on its schedule (every 90 days): a new key becomes the default one.
        var rotated = host.App.Services.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(90));
        rotated.KeyId.Should().NotBe(before);

        var refreshed = await TokenAsync(http, host, new()
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = client.RefreshToken, ["client_id"] = client.ClientId,
        });
        var after = refreshed.Body.GetProperty("access_token").GetString()!;
        KeyIdOf(after).Should().Be(rotated.KeyId, "tokens issued after the rotation use the new key");
        KeyIdOf(refreshed.Body.GetProperty("refresh_token").GetString()!).Should().Be(rotated.KeyId);
        (await tokens.OpensAsync(after, deploymentId, ct)).Should().BeTrue();
        (await tokens.OpensAsync(client.AccessToken, deploymentId, ct)).Should().BeTrue("a token issued before the rotation still validates");

        // Both keys sit in the database, encrypted under ENCRYPTION_KEY (never as plain XML).
        await using var db = await host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct);
        var stored = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync(ct);
        stored.Should().Contain(x => x!.Contains(before.ToString(), StringComparison.Ordinal))
            .And.Contain(x => x!.Contains(rotated.KeyId.ToString(), StringComparison.Ordinal))
            .And.OnlyContain(x => !x!.Contains("<masterKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_server_rsa_keys_rotate_when_due_keep_the_retired_key_for_validation_then_drop_it()
    {
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var options = host.App.Services.GetRequiredService<IOptionsFactory<OpenIddictServerOptions>>();
        var contexts = host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>();
        var ct = TestContext.Current.CancellationToken;

        var first = options.Create(Options.DefaultName);
        first.SigningCredentials.Should().ContainSingle();
        var original = first.SigningCredentials[0].Kid;

        async Task AgeKeysAsync(TimeSpan by)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.OAuthServerKeys.ExecuteUpdateAsync(s => s.SetProperty(k => k.CreatedAt, k => k.CreatedAt - by), ct);
        }

        // Not due yet: the same key.
        options.Create(Options.DefaultName).SigningCredentials.Select(c => c.Kid).Should().Equal(original);

        // Due: a new key signs, the retired one is still listed for validation.
        await AgeKeysAsync(OAuthServerKeys.RotationInterval + TimeSpan.FromMinutes(1));
        var rotated = options.Create(Options.DefaultName);
        rotated.SigningCredentials.Should().HaveCount(2);
        rotated.SigningCredentials[0].Kid.Should().NotBe(original, "the new key signs from now on");
        rotated.SigningCredentials[1].Kid.Should().Be(original);
        rotated.EncryptionCredentials.Should().HaveCount(2);

        // Past its retention the retired key is gone (its tokens have all expired).
        await AgeKeysAsync(OAuthServerKeys.Retention - OAuthServerKeys.RotationInterval);
        var later = options.Create(Options.DefaultName);
        later.SigningCredentials.Select(c => c.Kid).Should().NotContain(original);
        await using var check = await contexts.CreateDbContextAsync(ct);
        (await check.OAuthServerKeys.ToListAsync(ct)).Should().OnlyContain(k => !k.ProtectedKey.Contains("PRIVATE", StringComparison.Ordinal));
    }

    /// <summary>The data protection key a token was protected with: a protected payload starts with a 4-byte magic header, then the key id.</summary>
    private static Guid KeyIdOf(string token) => new(Base64UrlTextEncoder.Decode(token).AsSpan(4, 16));
}
