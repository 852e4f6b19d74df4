namespace Catwalk.Core.Machines;

/// <summary>Where a deployment's machine runs.</summary>
public enum RuntimeKind
{
    /// <summary>A child process of this host behind a loopback stdio↔Streamable HTTP bridge.</summary>
    Local,

    /// <summary>A Fly.io Machine running mcp-proxy, reached over Fly's private network.</summary>
    Fly,
}
