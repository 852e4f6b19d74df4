using Catwalk.Core.Credentials;

namespace Catwalk.Tests.Credentials;

/// <summary>The same IV every time, as the spec's generate vectors need.</summary>
internal sealed class FixedIvSource(byte[] iv) : IFernetIvSource
{
    public void Fill(Span<byte> destination) => iv.CopyTo(destination);
}
