using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Credentials;

public static class CredentialsServiceCollectionExtensions
{
    /// <summary>
    /// The key ring from <c>ENCRYPTION_KEY</c> (in Development without it, a generated key kept in the data
    /// directory), validated at start-up; the credential vault, the secret protector and key rotation.
    /// Needs <c>AddCatwalkPersistence</c> for the database.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkCredentials(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFernetIvSource>(RandomFernetIvSource.Instance);
        services.AddSingleton<DevelopmentEncryptionKeyFile>();
        services.AddSingleton<IValidateOptions<CredentialEncryptionOptions>, CredentialEncryptionOptionsValidator>();
        services.AddOptions<CredentialEncryptionOptions>()
            .Configure<IConfiguration, IHostEnvironment, DevelopmentEncryptionKeyFile>(ConfigureKeys)
            .ValidateOnStart();

        // IOptionsMonitor, not IOptions: it shares its cache with ValidateOnStart, so the development key file
        // is read (and its location logged) once.
        services.AddSingleton(sp => new FernetKeyRing(
            ParseValidated(sp.GetRequiredService<IOptionsMonitor<CredentialEncryptionOptions>>().CurrentValue),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IFernetIvSource>()));
        services.AddSingleton<ISecretProtector, FernetSecretProtector>();
        services.AddSingleton<ICredentialVault, CredentialVault>();
        services.AddSingleton<CredentialKeyRotation>();
        services.AddSingleton<StoredSecretKeyRotation>();
        return builder;
    }

    private static void ConfigureKeys(
        CredentialEncryptionOptions options, IConfiguration configuration, IHostEnvironment environment, DevelopmentEncryptionKeyFile keyFile)
    {
        var configured = configuration[CredentialEncryptionOptions.Variable];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            options.Keys = configured;
            return;
        }

        if (environment.IsDevelopment())
        {
            var dataDirectory = DataDirectory.Resolve(configuration[DataDirectory.Variable]);
            options.Keys = keyFile.LoadOrCreate(dataDirectory);
            options.DevelopmentKeyFile = Path.Combine(dataDirectory, DevelopmentEncryptionKeyFile.FileName);
        }
    }

    private static IReadOnlyList<FernetKey> ParseValidated(CredentialEncryptionOptions options) =>
        FernetKeyRing.TryParseKeys(options.Keys, out var keys, out var problem)
            ? keys
            : throw new InvalidOperationException($"{CredentialEncryptionOptions.Variable} is invalid: {problem}.");
}
