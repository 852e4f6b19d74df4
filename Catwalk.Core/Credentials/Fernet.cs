using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Catwalk.Core.Credentials;

/// <summary>
/// Fernet (spec version 0x80), byte-compatible with Python's <c>cryptography.fernet.Fernet</c>: a token is
/// base64url(0x80 ‖ big-endian seconds ‖ IV ‖ AES-128-CBC/PKCS7 ciphertext ‖ HMAC-SHA256 of all before it).
/// Decryption follows Python's order and rules, including the optional time-to-live with 60 s of clock skew.
/// The clock and the IV source are injected so the official test vectors can be reproduced.
/// </summary>
public sealed class Fernet
{
    /// <summary>How far in the future a token's timestamp may be when a TTL is checked (Python's _MAX_CLOCK_SKEW).</summary>
    public const long MaxClockSkewSeconds = 60;

    private const byte Version = 0x80;
    private const int TimestampOffset = 1;
    private const int IvOffset = 9;
    private const int IvLength = 16;
    private const int CiphertextOffset = IvOffset + IvLength;
    private const int HmacLength = 32;
    private const int BlockLength = 16;

    private readonly FernetKey _key;
    private readonly TimeProvider _time;
    private readonly IFernetIvSource _ivSource;

    public Fernet(FernetKey key, TimeProvider? time = null, IFernetIvSource? ivSource = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _time = time ?? TimeProvider.System;
        _ivSource = ivSource ?? RandomFernetIvSource.Instance;
    }

    public string Encrypt(ReadOnlySpan<byte> data) => EncryptAtTime(data, CurrentUnixSeconds());

    public string EncryptAtTime(ReadOnlySpan<byte> data, long unixSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        Span<byte> iv = stackalloc byte[IvLength];
        _ivSource.Fill(iv);
        return EncryptFromParts(data, (ulong)unixSeconds, iv);
    }

    /// <summary>The plaintext; with a <paramref name="ttl"/>, a token older than it (or too far ahead) is rejected.</summary>
    /// <exception cref="InvalidFernetTokenException">The token is not valid for this key (or too old).</exception>
    public byte[] Decrypt(string token, TimeSpan? ttl = null) =>
        TryDecrypt(token, ttl, out var plaintext) ? plaintext : throw new InvalidFernetTokenException();

    public bool TryDecrypt(string token, TimeSpan? ttl, out byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(token);
        plaintext = [];
        return TryReadUnverified(token, out var data, out var timestamp)
            && TryDecryptData(data, timestamp, ttl is { } t ? ((long)t.TotalSeconds, CurrentUnixSeconds()) : null, out plaintext);
    }

    /// <summary>The creation time written in a token whose signature this key verifies.</summary>
    public ulong ExtractTimestamp(string token) =>
        TryReadUnverified(token, out var data, out var timestamp) && HasValidSignature(data)
            ? timestamp
            : throw new InvalidFernetTokenException();

    /// <summary>Step 1-2 of verifying: decode, check the version byte, read the timestamp. Nothing is trusted yet.</summary>
    internal static bool TryReadUnverified(string token, out byte[] data, out ulong timestamp)
    {
        timestamp = 0;
        if (!PythonBase64.TryDecodeUrlSafe(token, out data) || data.Length < IvOffset || data[0] != Version)
        {
            return false;
        }

        timestamp = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(TimestampOffset, 8));
        return true;
    }

    /// <summary>Only the HMAC: whether this key signed the token, without decrypting it.</summary>
    internal bool HasValidSignature(ReadOnlySpan<byte> data)
    {
        if (data.Length < HmacLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HmacLength];
        HMACSHA256.HashData(_key.SigningKey, data[..^HmacLength], expected);
        return CryptographicOperations.FixedTimeEquals(expected, data[^HmacLength..]);
    }

    internal bool TryDecryptData(byte[] data, ulong timestamp, (long Ttl, long Now)? timeInfo, out byte[] plaintext)
    {
        plaintext = [];
        if (timeInfo is var (ttl, now))
        {
            // Int128: Python's integers do not overflow, and a timestamp is an unsigned 64-bit field.
            if ((Int128)timestamp + ttl < now || (Int128)now + MaxClockSkewSeconds < timestamp)
            {
                return false;
            }
        }

        if (!HasValidSignature(data))
        {
            return false;
        }

        var ciphertextLength = data.Length - CiphertextOffset - HmacLength;
        if (ciphertextLength <= 0 || ciphertextLength % BlockLength != 0)
        {
            return false;
        }

        try
        {
            using var aes = Aes.Create();
            aes.Key = _key.EncryptionKey;
            plaintext = aes.DecryptCbc(
                data.AsSpan(CiphertextOffset, ciphertextLength), data.AsSpan(IvOffset, IvLength), PaddingMode.PKCS7);
            return true;
        }
        catch (CryptographicException)
        {
            // Bad padding: Python's unpadder raises, and so the token is invalid.
            return false;
        }
    }

    internal string EncryptFromParts(ReadOnlySpan<byte> data, ulong timestamp, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != IvLength)
        {
            throw new ArgumentException($"A Fernet IV is {IvLength} bytes.", nameof(iv));
        }

        var ciphertextLength = (data.Length / BlockLength + 1) * BlockLength;
        var token = new byte[CiphertextOffset + ciphertextLength + HmacLength];
        token[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(TimestampOffset, 8), timestamp);
        iv.CopyTo(token.AsSpan(IvOffset, IvLength));
        using (var aes = Aes.Create())
        {
            aes.Key = _key.EncryptionKey;
            aes.EncryptCbc(data, iv, token.AsSpan(CiphertextOffset, ciphertextLength), PaddingMode.PKCS7);
        }

        HMACSHA256.HashData(_key.SigningKey, token.AsSpan(0, CiphertextOffset + ciphertextLength), token.AsSpan(CiphertextOffset + ciphertextLength));
        return PythonBase64.EncodeUrlSafe(token);
    }

    private long CurrentUnixSeconds() => _time.GetUtcNow().ToUnixTimeSeconds();
}
