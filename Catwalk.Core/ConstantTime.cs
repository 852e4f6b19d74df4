using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Catwalk.Core;

/// <summary>Comparisons of secrets whose time tells nothing about how much of a guess was right.</summary>
public static class ConstantTime
{
    /// <summary>Whether two texts are the same, in a time that depends only on their lengths; allocates nothing.</summary>
    public static bool TextEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));
}
