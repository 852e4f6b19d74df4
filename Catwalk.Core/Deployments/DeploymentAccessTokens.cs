using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Per-deployment access tokens: shown once, stored only as a SHA-256 hash, compared in constant time.
/// </summary>
public static class DeploymentAccessTokens
{
    private const string Prefix = "cwd_";

    /// <summary>A hash no token has: unknown deployments are compared against it so both paths cost the same.</summary>
    public static readonly string UnmatchableHash = Convert.ToHexString(SHA256.HashData("catwalk:no-such-deployment"u8));

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(token, hash);
        return Convert.ToHexString(hash);
    }

    /// <summary>Constant-time comparison of the presented token's hash with the stored hash, without allocating.</summary>
    public static bool Matches(string? presentedToken, string storedHash)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(presentedToken ?? "", presented);
        var readable = Convert.FromHexString(storedHash, stored, out _, out var written) == OperationStatus.Done && written == stored.Length;
        return CryptographicOperations.FixedTimeEquals(presented, stored) && readable && presentedToken is { Length: > 0 };
    }

    private static void HashInto(string token, Span<byte> destination)
    {
        const int OnStack = 256;
        var size = Encoding.UTF8.GetMaxByteCount(token.Length);
        var rented = size > OnStack ? ArrayPool<byte>.Shared.Rent(size) : null;
        Span<byte> utf8 = rented is null ? stackalloc byte[OnStack] : rented;
        var length = Encoding.UTF8.GetBytes(token, utf8);
        SHA256.HashData(utf8[..length], destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
