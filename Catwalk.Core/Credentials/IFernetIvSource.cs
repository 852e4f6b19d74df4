using System.Security.Cryptography;

namespace Catwalk.Core.Credentials;

/// <summary>Where each token's 16-byte IV comes from: random in production, fixed for the spec's test vectors.</summary>
public interface IFernetIvSource
{
    void Fill(Span<byte> iv);
}

/// <summary>A fresh IV from the operating system's CSPRNG for every token, as the spec requires.</summary>
public sealed class RandomFernetIvSource : IFernetIvSource
{
    public static readonly RandomFernetIvSource Instance = new();

    public void Fill(Span<byte> iv) => RandomNumberGenerator.Fill(iv);
}
