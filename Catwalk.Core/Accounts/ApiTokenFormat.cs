using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Catwalk.Core.Accounts;

/// <summary>Personal API tokens: <c>cwp_</c> + 32 random bytes in base64url; stored as SHA-256 hex.</summary>
internal static class ApiTokenFormat
{
    public const string Prefix = "cwp_";

    // 32 bytes in unpadded base64url.
    private const int EncodedLength = 43;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check so obvious garbage never reaches the database.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: EncodedLength + 4 }
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && !token.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlAlphabet);
}
