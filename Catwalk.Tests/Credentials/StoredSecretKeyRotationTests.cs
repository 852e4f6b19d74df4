using System.Text;
using System.Xml.Linq;
using Catwalk.Core.Accounts;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines.Secrets;
using Catwalk.Core.OAuth;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.CommandLine;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Credentials;

/// <summary>rotate-keys beyond credentials: machine secrets, OpenRouter keys, OAuth server keys, data protection keys.</summary>
public sealed class StoredSecretKeyRotationTests(PostgresServer postgres)
{
    private const string DataProtectionSecret = "<masterKey><value>c2VjcmV0LWtleS1ieXRlcw==</value></masterKey>";

    private readonly FernetKey _oldKey = FernetKey.Generate();
    private readonly FernetKey _newKey = FernetKey.Generate();

    [Fact]
    public async Task Every_store_ends_under_the_first_key_a_second_run_rewrites_nothing_and_a_row_no_key_reads_is_left_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateDatabaseAsync();
        var stranger = Encrypt(FernetKey.Generate(), "saved under a key the ring no longer has");
        await SeedAsync(cs, strangerMachineSecret: stranger);
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_newKey, _oldKey));
        var rotation = host.Services.GetRequiredService<StoredSecretKeyRotation>();

        var first = await rotation.RunAsync(ct);

        first.Should().BeEquivalentTo(new[]
        {
            new StoredSecretRotationSummary("machine secrets", 2, 1, 0, 1),
            new StoredSecretRotationSummary("OpenRouter keys", 1, 1, 0, 0),
            new StoredSecretRotationSummary("OAuth server keys", 1, 1, 0, 0),
            new StoredSecretRotationSummary("data protection keys", 1, 1, 0, 0),
        }, o => o.WithStrictOrdering());
        await using (var db = PostgresServer.CreateContext(cs))
        {
            var newOnly = new Fernet(_newKey);
            Decrypt(newOnly, (await db.MachineSecrets.SingleAsync(s => s.MachineId == "m-known", ct)).FernetToken).Should().Be("machine secret");
            (await db.MachineSecrets.SingleAsync(s => s.MachineId == "m-stranger", ct)).FernetToken.Should().Be(stranger, "a row no key reads is left as it was");
            Decrypt(newOnly, (await db.UserOpenRouterKeys.SingleAsync(ct)).FernetToken).Should().Be("sk-or-v1-user-key");
            Decrypt(newOnly, (await db.OAuthServerKeys.SingleAsync(ct)).ProtectedKey).Should().Be("pkcs8 private key");
            var xml = XElement.Parse((await db.DataProtectionKeys.SingleAsync(ct)).Xml!);
            var encrypted = xml.Descendants("encryptedSecret").Single();
            encrypted.Attribute("decryptorType")!.Value.Should().Be("Catwalk.Decryptor", "only the token inside changes");
            Decrypt(newOnly, encrypted.Element(DataProtectionFernetElement.Name)!.Value).Should().Be(DataProtectionSecret);
            xml.Element("creationDate")!.Value.Should().Be("2026-12-01T00:00:00Z");
        }

        var second = await rotation.RunAsync(ct);

        second.Select(s => (s.Rotated, s.AlreadyUnderFirstKey, s.Undecryptable)).Should().Equal((0, 1, 1), (0, 1, 0), (0, 1, 0), (0, 1, 0));
    }

    [Fact]
    public async Task The_verb_rotates_the_other_stores_too_and_exits_1_naming_the_store_a_row_of_which_no_key_reads()
    {
        var cs = await postgres.CreateDatabaseAsync();
        await SeedAsync(cs, strangerMachineSecret: Encrypt(FernetKey.Generate(), "lost"));
        using var host = CredentialTestHost.Build(cs, CredentialTestHost.Ring(_newKey, _oldKey));
        var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        int exitCode;
        try
        {
            exitCode = await new RotateKeysVerb().RunAsync(host.Services, new CommandLineOptions([]), TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetError(previous);
        }

        exitCode.Should().Be(1);
        stderr.ToString().Should().Contain("1 of the machine secrets decrypt under no key in ENCRYPTION_KEY").And.Contain("run rotate-keys again");
        await using var db = PostgresServer.CreateContext(cs);
        Decrypt(new Fernet(_newKey), (await db.UserOpenRouterKeys.SingleAsync(TestContext.Current.CancellationToken)).FernetToken).Should().Be("sk-or-v1-user-key");
    }

    private async Task SeedAsync(string cs, string strangerMachineSecret)
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await CredentialTestHost.AddDeploymentAsync(cs);
        await using var db = PostgresServer.CreateContext(cs);
        var user = new CatwalkUser { UserName = "rotator@example.test", Email = "rotator@example.test" };
        db.Users.Add(user);
        db.UserOpenRouterKeys.Add(new UserOpenRouterKey { UserId = user.Id, FernetToken = Encrypt(_oldKey, "sk-or-v1-user-key"), UpdatedAt = DateTimeOffset.UtcNow });
        db.MachineSecrets.Add(new StoredMachineSecret { MachineId = "m-known", DeploymentId = deployment, FernetToken = Encrypt(_oldKey, "machine secret"), IssuedAt = DateTimeOffset.UtcNow });
        db.MachineSecrets.Add(new StoredMachineSecret { MachineId = "m-stranger", DeploymentId = deployment, FernetToken = strangerMachineSecret, IssuedAt = DateTimeOffset.UtcNow });
        db.OAuthServerKeys.Add(new OAuthServerKey { Purpose = "signing", ProtectedKey = Encrypt(_oldKey, "pkcs8 private key"), CreatedAt = DateTimeOffset.UtcNow });
        // A data protection key as ASP.NET Core writes it, its secret encrypted by the app's Fernet XML encryptor.
        var keyXml = new XElement("key", new XAttribute("id", Guid.NewGuid()), new XAttribute("version", 1),
            new XElement("creationDate", "2026-12-01T00:00:00Z"),
            new XElement("descriptor", new XElement("descriptor",
                new XElement("encryptedSecret", new XAttribute("decryptorType", "Catwalk.Decryptor"),
                    new XElement(DataProtectionFernetElement.Name, Encrypt(_oldKey, DataProtectionSecret))))));
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-1", Xml = keyXml.ToString(SaveOptions.DisableFormatting) });
        await db.SaveChangesAsync(ct);
    }

    private static string Encrypt(FernetKey key, string text) => new Fernet(key).Encrypt(Encoding.UTF8.GetBytes(text));

    private static string Decrypt(Fernet fernet, string token) => Encoding.UTF8.GetString(fernet.Decrypt(token));
}
