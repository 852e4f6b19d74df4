using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

public sealed class AuditLogTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recorded_entries_are_listed_newest_first_up_to_the_requested_count()
    {
        using var host = AccountsTestHost.Build(await postgres.CreateDatabaseAsync());
        var audit = host.Services.CreateScope().ServiceProvider.GetRequiredService<AuditLog>();

        await audit.RecordAsync("u1", "sign-in", "a@example.com", null, Ct);
        await audit.RecordAsync(null, "sign-in-failed", "nobody@example.com", "unknown user", Ct);
        await audit.RecordAsync("u1", "token-created", "ci", null, Ct);

        var all = await audit.ListAsync(10, Ct);
        all.Select(e => e.Action).Should().Equal("token-created", "sign-in-failed", "sign-in");
        all[1].Should().BeEquivalentTo(new { UserId = (string?)null, Target = "nobody@example.com", Detail = "unknown user" });
        all.Should().OnlyContain(e => e.At > DateTimeOffset.UtcNow.AddMinutes(-5));
        (await audit.ListAsync(2, Ct)).Select(e => e.Action).Should().Equal("token-created", "sign-in-failed");
    }

    [Fact]
    public async Task Overlong_targets_and_details_are_cut_rather_than_failing()
    {
        using var host = AccountsTestHost.Build(await postgres.CreateDatabaseAsync());
        var audit = host.Services.CreateScope().ServiceProvider.GetRequiredService<AuditLog>();

        await audit.RecordAsync("u1", "sign-in-failed", new string('t', 1000), new string('d', 5000), Ct);

        var entry = (await audit.ListAsync(1, Ct)).Single();
        entry.Target.Should().HaveLength(AuditLog.MaxTargetLength);
        entry.Detail.Should().HaveLength(AuditLog.MaxDetailLength);
    }
}
