using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Credentials;

public sealed class RotateKeysVerbTests(PostgresServer postgres)
{
    [Fact]
    public async Task Rotate_keys_re_encrypts_every_credential_under_the_first_key_and_exits_zero()
    {
        var cs = await postgres.CreateDatabaseAsync();
        var (oldKey, newKey) = (FernetKey.Generate(), FernetKey.Generate());
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        using (var before = CredentialTestHost.Build(cs, CredentialTestHost.Ring(oldKey)))
        {
            await before.Services.GetRequiredService<ICredentialVault>().ReplaceAllAsync(
                deployment, Enumerable.Range(0, 7).ToDictionary(i => $"V{i}", i => $"value {i}"), TestContext.Current.CancellationToken);
        }

        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(newKey, oldKey));
        var exitCode = await new RotateKeysVerb().RunAsync(
            host.Services, new CommandLineOptions(["--batch-size", "3"]), TestContext.Current.CancellationToken);

        exitCode.Should().Be(0);
        var newOnly = new Fernet(newKey);
        (await CredentialTestHost.ReadRawAsync(cs)).Select(r => newOnly.TryDecrypt(r.Token, null, out _)).Should().HaveCount(7).And.AllBeEquivalentTo(true);
    }

    [Fact]
    public async Task A_batch_size_that_is_not_a_positive_number_is_a_usage_error()
    {
        using var host = CredentialTestHost.Build(await postgres.CreateDatabaseAsync(), CredentialTestHost.Ring(FernetKey.Generate()));

        var act = () => new RotateKeysVerb().RunAsync(host.Services, new CommandLineOptions(["--batch-size", "0"]), TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<CommandLineException>().WithMessage("--batch-size must be*");
    }

    [Fact]
    public async Task Without_a_valid_key_ring_the_verb_stops_with_a_problem_naming_ENCRYPTION_KEY()
    {
        using var host = CredentialTestHost.Build(await postgres.CreateDatabaseAsync(), encryptionKey: null);

        var run = () => new RotateKeysVerb().RunAsync(host.Services, new CommandLineOptions([]), TestContext.Current.CancellationToken);

        // The verb runner prints this problem as one line and exits with 2 (see OperatorVerbProcessTests).
        var problem = await run.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>();
        Catwalk.Web.CommandLine.StartupFailure.Describe(problem.Which).Should().Contain("ENCRYPTION_KEY is not set");
    }
}
