using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Catwalk.Core.Credentials;

/// <summary>
/// A Fernet key: 32 bytes, the first 16 signing (HMAC-SHA256), the last 16 encrypting (AES-128), written as
/// url-safe base64 like Python's <c>Fernet.generate_key()</c>. It is a secret: <see cref="ToString"/> hides it.
/// </summary>
public sealed class FernetKey
{
    public const int ByteLength = 32;

    private readonly byte[] _signingKey;
    private readonly byte[] _encryptionKey;

    private FernetKey(ReadOnlySpan<byte> key)
    {
        _signingKey = key[..16].ToArray();
        _encryptionKey = key[16..].ToArray();
    }

    internal ReadOnlySpan<byte> SigningKey => _signingKey;

    internal byte[] EncryptionKey => _encryptionKey;

    public static FernetKey Generate() => new(RandomNumberGenerator.GetBytes(ByteLength));

    public static FernetKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == ByteLength
            ? new FernetKey(key)
            : throw new ArgumentException($"A Fernet key is {ByteLength} bytes, not {key.Length}.", nameof(key));

    /// <summary>Accepts what Python's <c>Fernet(key)</c> accepts: 32 bytes in url-safe base64.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FernetKey? key)
    {
        key = text is not null && PythonBase64.TryDecodeUrlSafe(text, out var bytes) && bytes.Length == ByteLength
            ? new FernetKey(bytes)
            : null;
        return key is not null;
    }

    public static FernetKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException("A Fernet key must be 32 url-safe base64-encoded bytes.");

    /// <summary>The key's text form (44 characters of url-safe base64); a secret to store, never to log.</summary>
    public string Export() => PythonBase64.EncodeUrlSafe([.. _signingKey, .. _encryptionKey]);

    public override string ToString() => "FernetKey(hidden)";
}
