using System.Runtime.Versioning;
using Catwalk.Core.Credentials;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Credentials;

public sealed class EncryptionKeyConfigurationTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_malformed_key_fails_start_up_naming_ENCRYPTION_KEY_and_how_to_generate_one()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync(), environment: "Production");
        app.Settings["ENCRYPTION_KEY"] = $"{FernetKey.Generate().Export()},not-a-fernet-key-but-private";

        var act = () => app.BaseAddress;

        act.Should().Throw<OptionsValidationException>()
            .WithMessage("*ENCRYPTION_KEY is malformed*entry 2 of 2*python3 -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"*openssl rand -base64 32*")
            .Which.Message.Should().NotContain("not-a-fernet-key-but-private");
    }

    [Fact]
    public async Task Production_refuses_to_start_without_ENCRYPTION_KEY()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync(), environment: "Production");
        app.Settings["ENCRYPTION_KEY"] = "";

        var act = () => app.BaseAddress;

        act.Should().Throw<OptionsValidationException>()
            .WithMessage("ENCRYPTION_KEY is not set*will not start without it*Generate a key with*");
    }

    [Fact]
    public async Task Production_with_a_key_ring_starts_and_encrypts_under_the_first_key()
    {
        var first = FernetKey.Generate();
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync(), environment: "Production");
        app.Settings["ENCRYPTION_KEY"] = CredentialTestHost.Ring(first, FernetKey.Generate());

        _ = app.BaseAddress;

        var protectedValue = app.Services.GetRequiredService<ISecretProtector>().Protect("user key");
        new Fernet(first).Decrypt(protectedValue).Should().Equal("user key"u8.ToArray());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Development_without_a_key_generates_an_owner_only_key_file_and_the_next_start_reuses_it()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "catwalk-devkey-" + Guid.NewGuid().ToString("N")[..8]);
        var keyFile = Path.Combine(dataDirectory, "encryption.key");
        try
        {
            string protectedValue;
            await using (var first = DevelopmentApp(await postgres.CreateDatabaseAsync(), dataDirectory))
            {
                _ = first.BaseAddress;
                protectedValue = first.Services.GetRequiredService<ISecretProtector>().Protect("survives a restart");
            }

            File.Exists(keyFile).Should().BeTrue();
            File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var keyText = (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim();
            FernetKey.TryParse(keyText, out _).Should().BeTrue();

            await using var second = DevelopmentApp(await postgres.CreateDatabaseAsync(), dataDirectory);
            _ = second.BaseAddress;

            second.Services.GetRequiredService<ISecretProtector>().Unprotect(protectedValue).Should().Be("survives a restart");
            (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim().Should().Be(keyText);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public void The_development_key_file_logs_where_it_is_and_never_the_key()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "catwalk-devkey-" + Guid.NewGuid().ToString("N")[..8]);
        var logger = new RecordingLogger<DevelopmentEncryptionKeyFile>();
        try
        {
            var keyFile = new DevelopmentEncryptionKeyFile(logger);

            var created = keyFile.LoadOrCreate(dataDirectory);
            var reused = keyFile.LoadOrCreate(dataDirectory);

            reused.Should().Be(created);
            logger.Messages.Should().HaveCount(2);
            logger.Messages.Should().AllSatisfy(m => m.Should().Contain(Path.Combine(dataDirectory, "encryption.key")).And.NotContain(created));
            logger.Messages[0].Should().Contain("generated");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public void A_damaged_development_key_file_fails_start_up_naming_the_file_and_the_variable()
    {
        var options = new CredentialEncryptionOptions { Keys = "garbage", DevelopmentKeyFile = "/data/encryption.key" };

        var result = new CredentialEncryptionOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("/data/encryption.key").And.Contain("Set ENCRYPTION_KEY").And.Contain("delete the file");
    }

    private static CatwalkAppFactory DevelopmentApp(string connectionString, string dataDirectory)
    {
        var app = new CatwalkAppFactory(connectionString);
        app.Settings["CATWALK_DATA_DIR"] = dataDirectory;
        app.Settings["ENCRYPTION_KEY"] = "";
        return app;
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
