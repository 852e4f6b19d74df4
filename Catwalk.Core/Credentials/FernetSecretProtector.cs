using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Catwalk.Core.Credentials;

/// <summary>Strings as UTF-8 Fernet tokens under the key ring, readable by Python's <c>MultiFernet</c> too.</summary>
internal sealed class FernetSecretProtector(FernetKeyRing keys) : ISecretProtector
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return keys.Encrypt(StrictUtf8.GetBytes(plaintext));
    }

    public string Unprotect(string protectedValue) =>
        TryUnprotect(protectedValue, out var plaintext) ? plaintext : throw new InvalidFernetTokenException();

    public bool TryUnprotect(string protectedValue, [NotNullWhen(true)] out string? plaintext)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        plaintext = null;
        if (!keys.TryDecrypt(protectedValue, ttl: null, out var bytes))
        {
            return false;
        }

        try
        {
            plaintext = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            // A valid token around bytes that are not text was not made by Protect.
            return false;
        }
    }
}
