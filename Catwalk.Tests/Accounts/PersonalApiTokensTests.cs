using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Tests.Accounts;

public sealed class PersonalApiTokensTests(PostgresServer postgres) : IAsyncLifetime
{
    private IHost _host = null!;
    private string _cs = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _cs = await postgres.CreateDatabaseAsync();
        _host = AccountsTestHost.Build(_cs);
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }

    private PersonalApiTokens Tokens() => _host.Services.CreateScope().ServiceProvider.GetRequiredService<PersonalApiTokens>();

    [Fact]
    public async Task A_new_token_has_the_cwp_prefix_and_authenticates_as_its_owner()
    {
        var userId = await AccountsTestHost.AddUserAsync(_cs, "a@example.com");

        var issued = await Tokens().CreateAsync(userId, "ci", Ct);
        var owner = await Tokens().AuthenticateAsync(issued.Token, Ct);

        issued.Token.Should().MatchRegex("^cwp_[A-Za-z0-9_-]{43}$");
        owner.Should().Be(new ApiTokenOwner(userId, issued.Id, "ci"));
    }

    [Fact]
    public async Task Only_the_sha256_hash_of_a_token_is_stored()
    {
        var userId = await AccountsTestHost.AddUserAsync(_cs, "a@example.com");

        var issued = await Tokens().CreateAsync(userId, "ci", Ct);

        await using var db = PostgresServer.CreateContext(_cs);
        var row = await db.PersonalApiTokens.SingleAsync(Ct);
        row.TokenHash.Should().Be(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(issued.Token))));
        var everything = await db.Database.SqlQueryRaw<string>("""SELECT row_to_json(t)::text AS "Value" FROM personal_api_tokens t""").ToListAsync(Ct);
        everything.Should().ContainSingle().Which.Should().NotContain(issued.Token[4..]);
    }

    [Fact]
    public async Task A_revoked_token_stops_authenticating_at_once_and_leaves_the_list()
    {
        var userId = await AccountsTestHost.AddUserAsync(_cs, "a@example.com");
        var tokens = Tokens();
        var kept = await tokens.CreateAsync(userId, "kept", Ct);
        var revoked = await tokens.CreateAsync(userId, "gone", Ct);
        (await tokens.AuthenticateAsync(revoked.Token, Ct)).Should().NotBeNull();

        (await tokens.RevokeAsync(userId, revoked.Id, Ct)).Should().BeTrue();

        (await tokens.AuthenticateAsync(revoked.Token, Ct)).Should().BeNull();
        (await tokens.AuthenticateAsync(kept.Token, Ct)).Should().NotBeNull();
        (await tokens.ListAsync(userId, Ct)).Select(t => t.Name).Should().Equal("kept");
        (await tokens.RevokeAsync(userId, revoked.Id, Ct)).Should().BeFalse("it is already revoked");
    }

    [Fact]
    public async Task A_user_cannot_revoke_another_users_token()
    {
        var alice = await AccountsTestHost.AddUserAsync(_cs, "alice@example.com");
        var bob = await AccountsTestHost.AddUserAsync(_cs, "bob@example.com");
        var issued = await Tokens().CreateAsync(alice, "ci", Ct);

        (await Tokens().RevokeAsync(bob, issued.Id, Ct)).Should().BeFalse();

        (await Tokens().AuthenticateAsync(issued.Token, Ct)).Should().NotBeNull();
        (await Tokens().ListAsync(bob, Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Authenticating_records_the_last_use_time()
    {
        var userId = await AccountsTestHost.AddUserAsync(_cs, "a@example.com");
        var issued = await Tokens().CreateAsync(userId, "ci", Ct);
        (await Tokens().ListAsync(userId, Ct)).Single().LastUsedAt.Should().BeNull();

        await Tokens().AuthenticateAsync(issued.Token, Ct);

        var listed = (await Tokens().ListAsync(userId, Ct)).Single();
        listed.LastUsedAt.Should().NotBeNull().And.BeOnOrAfter(listed.CreatedAt);
        listed.Should().BeEquivalentTo(new { issued.Id, Name = "ci", issued.CreatedAt }, o => o.Using<DateTimeOffset>(
            c => c.Subject.Should().BeCloseTo(c.Expectation, TimeSpan.FromMilliseconds(1))).WhenTypeIs<DateTimeOffset>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cwp_")]
    [InlineData("cwd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cwp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cwp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public async Task Unknown_or_malformed_tokens_do_not_authenticate(string? token)
    {
        var userId = await AccountsTestHost.AddUserAsync(_cs, "a@example.com");
        await Tokens().CreateAsync(userId, "ci", Ct);

        (await Tokens().AuthenticateAsync(token, Ct)).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_token_needs_a_name(string name)
    {
        var userId = await AccountsTestHost.AddUserAsync(_cs, "a@example.com");

        var act = () => Tokens().CreateAsync(userId, name, Ct);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("A token needs a name*");
    }
}
