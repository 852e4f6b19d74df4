using System.Net;
using System.Net.Http.Headers;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

/// <summary>Passwords, personal tokens and OpenRouter keys used in a session appear in no log line, even at Debug.</summary>
public sealed class AccountSecretsInLogsTests(PostgresServer postgres)
{
    private const string FirstPassword = "first secret passphrase";
    private const string WrongPassword = "wrong secret passphrase";
    private const string NewPassword = "second secret passphrase";
    private const string OpenRouterKey = "sk-or-v1-never-logged-0123456789abcdef";

    [Fact]
    public async Task Account_secrets_never_reach_the_logs()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        var logs = new CapturedLogs().AddTo(app);
        using var browser = new WebSession(app.BaseAddress);
        var ct = TestContext.Current.CancellationToken;

        (await browser.RegisterAsync("logs@example.com", FirstPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        using var other = new WebSession(app.BaseAddress);
        (await other.SignInAsync("logs@example.com", WrongPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.SubmitAsync("/account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = FirstPassword,
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await other.SignInAsync("logs@example.com", NewPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>().FindByEmailAsync("logs@example.com");
            token = (await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(user!.Id, "logs", ct)).Token;
            await scope.ServiceProvider.GetRequiredService<UserOpenRouterKeys>().SetAsync(user.Id, OpenRouterKey, ct);
        }

        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await browser.Http.SendAsync(api, ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        logs.Lines.Should().NotBeEmpty();
        foreach (var secret in new[] { FirstPassword, WrongPassword, NewPassword, token, token[4..], OpenRouterKey })
        {
            logs.Lines.Should().NotContain(line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
