using System.Net;
using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Tests.Accounts;

/// <summary>The keys that sign cookies live in the database, encrypted under ENCRYPTION_KEY.</summary>
public sealed class SignInPersistenceTests(PostgresServer postgres)
{
    private const string Password = "persistent passphrase";

    [Fact]
    public async Task A_sign_in_survives_a_restart_and_works_on_a_second_instance()
    {
        var cs = await postgres.CreateDatabaseAsync();
        var key = FernetKey.Generate().Export();
        var cookies = new CookieContainer();
        Uri firstAddress;
        await using (var first = App(cs, key))
        {
            using var browser = new WebSession(first.BaseAddress);
            await browser.RegisterAsync("stay@example.com", Password);
            firstAddress = first.BaseAddress;
            cookies.Add(firstAddress, browser.Cookies.GetCookies(firstAddress));
        }

        await using var second = App(cs, key);
        using var again = new WebSession(second.BaseAddress);
        foreach (Cookie cookie in cookies.GetCookies(firstAddress))
        {
            again.Cookies.Add(second.BaseAddress, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        (await again.GetAsync("/account/password")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_stored_key_ring_is_encrypted_and_unreadable_without_the_encryption_key()
    {
        var cs = await postgres.CreateDatabaseAsync();
        var cookies = new List<Cookie>();
        await using (var first = App(cs, FernetKey.Generate().Export()))
        {
            using var browser = new WebSession(first.BaseAddress);
            await browser.RegisterAsync("stay@example.com", Password);
            cookies.AddRange(browser.Cookies.GetCookies(first.BaseAddress));
        }

        await using (var db = PostgresServer.CreateContext(cs))
        {
            var stored = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(TestContext.Current.CancellationToken);
            stored.Should().NotBeEmpty().And.OnlyContain(xml => xml.Contains("<fernet ") && !xml.Contains("<masterKey"));
        }

        // Another ENCRYPTION_KEY cannot read the ring: old cookies stop working, new sign-ins still do.
        await using var other = App(cs, FernetKey.Generate().Export());
        using var stale = new WebSession(other.BaseAddress);
        foreach (var cookie in cookies)
        {
            stale.Cookies.Add(other.BaseAddress, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        (await stale.GetAsync("/account/password")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        using var fresh = new WebSession(other.BaseAddress);
        (await fresh.SignInAsync("stay@example.com", Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await fresh.GetAsync("/account/password")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static CatwalkAppFactory App(string cs, string encryptionKey)
    {
        var app = new CatwalkAppFactory(cs);
        app.Settings[CredentialEncryptionOptions.Variable] = encryptionKey;
        return app;
    }
}
