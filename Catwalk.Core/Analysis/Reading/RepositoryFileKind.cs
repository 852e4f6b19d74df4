namespace Catwalk.Core.Analysis.Reading;

/// <summary>What a fetched file is, which decides the parser that reads it.</summary>
internal enum RepositoryFileKind
{
    Readme,
    ServerJson,
    PackageJson,
    Pyproject,
    Smithery,
    BundleManifest,
    EnvExample,
    Dockerfile,
    Source,
}
