namespace Catwalk.Core.Analysis.Sources;

/// <summary>Where a finding came from, strongest first: the order is the precedence used when sources disagree.</summary>
internal enum EvidenceKind
{
    /// <summary>server.json, the official MCP registry's metadata.</summary>
    Registry,

    /// <summary>manifest.json (MCP bundle), whose user_config is declared by the authors for installers.</summary>
    Bundle,

    /// <summary>package.json or pyproject.toml.</summary>
    PackageManifest,

    /// <summary>smithery.yaml's configSchema mapped to env by commandFunction.</summary>
    Smithery,

    /// <summary>.env.example and the like.</summary>
    EnvFile,

    /// <summary>README client config examples (mcpServers blocks, npx/uvx command lines).</summary>
    ReadmeConfig,

    /// <summary>README prose: environment variable tables, bullet lists, sentences.</summary>
    ReadmeProse,

    /// <summary>The server's own source code reading the variable.</summary>
    Code,

    /// <summary>The language model's answer: used only to fill gaps.</summary>
    Llm,
}
