using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Catwalk.Core.Credentials;

/// <summary>
/// Several Fernet keys used as one, like Python's <c>MultiFernet</c>: the first key encrypts, every key decrypts,
/// and <see cref="Rotate"/> re-encrypts a token under the first key. <c>ENCRYPTION_KEY</c> holds the ring as
/// comma-separated keys, newest first, so a key can be replaced without losing what the old one encrypted.
/// </summary>
public sealed class FernetKeyRing
{
    private readonly Fernet[] _fernets;
    private readonly IFernetIvSource _ivSource;

    public FernetKeyRing(IEnumerable<FernetKey> keys, TimeProvider? time = null, IFernetIvSource? ivSource = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _ivSource = ivSource ?? RandomFernetIvSource.Instance;
        _fernets = [.. keys.Select(key => new Fernet(key, time, _ivSource))];
        if (_fernets.Length == 0)
        {
            throw new ArgumentException("A key ring needs at least one key.", nameof(keys));
        }
    }

    public int Count => _fernets.Length;

    /// <summary>
    /// Reads a comma-separated ring. The problem says which entry is wrong and why, never what it holds.
    /// An empty entry is refused rather than skipped: <c>"$NEW,$OLD"</c> with <c>NEW</c> unset must not
    /// quietly make the old key the encrypting one.
    /// </summary>
    public static bool TryParseKeys(string? commaSeparated, out IReadOnlyList<FernetKey> keys, [NotNullWhen(false)] out string? problem)
    {
        keys = [];
        if (string.IsNullOrWhiteSpace(commaSeparated))
        {
            problem = "no key is set";
            return false;
        }

        var entries = commaSeparated.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new List<FernetKey>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var which = entries.Length == 1 ? "the key" : $"entry {i + 1} of {entries.Length}";
            if (entries[i].Length == 0)
            {
                problem = $"{which} is empty (keys are separated by commas, the first one encrypts)";
                return false;
            }

            if (!FernetKey.TryParse(entries[i], out var key))
            {
                problem = $"{which} is not a Fernet key: a key is 32 random bytes in url-safe base64, 44 characters " +
                          $"ending in '=' (this one has {entries[i].Length} characters)";
                return false;
            }

            parsed.Add(key);
        }

        keys = parsed;
        problem = null;
        return true;
    }

    public static FernetKeyRing Parse(string? commaSeparated, TimeProvider? time = null, IFernetIvSource? ivSource = null) =>
        TryParseKeys(commaSeparated, out var keys, out var problem)
            ? new FernetKeyRing(keys, time, ivSource)
            : throw new FormatException($"Not a Fernet key ring: {problem}.");

    /// <summary>A token under the first key.</summary>
    public string Encrypt(ReadOnlySpan<byte> data) => _fernets[0].Encrypt(data);

    /// <exception cref="InvalidFernetTokenException">No key in the ring accepts the token.</exception>
    public byte[] Decrypt(string token, TimeSpan? ttl = null) =>
        TryDecrypt(token, ttl, out var plaintext) ? plaintext : throw new InvalidFernetTokenException();

    public bool TryDecrypt(string token, TimeSpan? ttl, out byte[] plaintext)
    {
        foreach (var fernet in _fernets)
        {
            if (fernet.TryDecrypt(token, ttl, out plaintext))
            {
                return true;
            }
        }

        plaintext = [];
        return false;
    }

    /// <summary>
    /// The same message under the first key, keeping the token's original timestamp (as <c>MultiFernet.rotate</c>).
    /// </summary>
    /// <exception cref="InvalidFernetTokenException">No key in the ring accepts the token.</exception>
    public string Rotate(string token) =>
        TryRotate(token, out var rotated) ? rotated : throw new InvalidFernetTokenException();

    public bool TryRotate(string token, [NotNullWhen(true)] out string? rotated)
    {
        ArgumentNullException.ThrowIfNull(token);
        rotated = null;
        if (!Fernet.TryReadUnverified(token, out var data, out var timestamp))
        {
            return false;
        }

        foreach (var fernet in _fernets)
        {
            if (fernet.TryDecryptData(data, timestamp, timeInfo: null, out var plaintext))
            {
                Span<byte> iv = stackalloc byte[16];
                _ivSource.Fill(iv);
                rotated = _fernets[0].EncryptFromParts(plaintext, timestamp, iv);
                CryptographicOperations.ZeroMemory(plaintext);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One stored token during key rotation: passed over when the first key signed it (one HMAC, no decryption; that is
    /// what makes an interrupted rotation cheap to finish), else re-encrypted under the first key if any key reads it.
    /// </summary>
    public TokenRotation RotateToFirstKey(string token) =>
        IsUnderPrimaryKey(token) ? new(TokenRotationOutcome.AlreadyUnderFirstKey, null)
        : TryRotate(token, out var rotated) ? new(TokenRotationOutcome.Rotated, rotated)
        : new(TokenRotationOutcome.Undecryptable, null);

    /// <summary>
    /// Whether the first key signed this token: one HMAC, no decryption. Key rotation uses it to pass over rows
    /// already done, which is what makes an interrupted rotation cheap to finish.
    /// </summary>
    public bool IsUnderPrimaryKey(string token) =>
        Fernet.TryReadUnverified(token, out var data, out _) && _fernets[0].HasValidSignature(data);
}
