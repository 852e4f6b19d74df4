namespace Catwalk.Core.Credentials;

/// <summary>The key ring credentials are encrypted with: <c>ENCRYPTION_KEY</c>, or Development's generated key file.</summary>
public sealed class CredentialEncryptionOptions
{
    public const string Variable = "ENCRYPTION_KEY";

    /// <summary>How to make a key, for every message about a missing or malformed one.</summary>
    public const string HowToGenerateAKey =
        "Generate a key with: python3 -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\" " +
        "(or: openssl rand -base64 32 | tr '+/' '-_').";

    /// <summary>One or more comma-separated Fernet keys; the first encrypts, all decrypt. A secret.</summary>
    public string? Keys { get; set; }

    /// <summary>Set when <see cref="Keys"/> came from Development's key file rather than <c>ENCRYPTION_KEY</c>.</summary>
    public string? DevelopmentKeyFile { get; set; }
}
