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

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time comparison of the presented token's hash with the stored hash.</summary>
    public static bool Matches(string? presentedToken, string storedHash) =>
        ConstantTime.TextEquals(Hash(presentedToken ?? ""), storedHash) && presentedToken is { Length: > 0 };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
