using Microsoft.Extensions.Options;

namespace Catwalk.Core.Credentials;

/// <summary>Refuses to start with no key ring or a malformed one, saying which variable to set and how.</summary>
internal sealed class CredentialEncryptionOptionsValidator : IValidateOptions<CredentialEncryptionOptions>
{
    private const string Variable = CredentialEncryptionOptions.Variable;

    public ValidateOptionsResult Validate(string? name, CredentialEncryptionOptions options)
    {
        if (options.DevelopmentKeyFile is { } keyFile)
        {
            return FernetKeyRing.TryParseKeys(options.Keys, out _, out var fileProblem)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{Variable} is not set, and the development key file {keyFile} does not hold a usable key ({fileProblem}). " +
                    $"Set {Variable}, or delete the file so a new key is generated (credentials saved under the old key will no longer decrypt). " +
                    CredentialEncryptionOptions.HowToGenerateAKey);
        }

        if (string.IsNullOrWhiteSpace(options.Keys))
        {
            return ValidateOptionsResult.Fail(
                $"{Variable} is not set. Catwalk encrypts deployment credentials with it and, outside Development, will not start without it. " +
                $"Set {Variable} to a Fernet key (several comma-separated keys while rotating, the new one first). " +
                CredentialEncryptionOptions.HowToGenerateAKey);
        }

        return FernetKeyRing.TryParseKeys(options.Keys, out _, out var problem)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{Variable} is malformed: {problem}. It must hold one or more comma-separated Fernet keys, the first one encrypting. " +
                CredentialEncryptionOptions.HowToGenerateAKey);
    }
}
