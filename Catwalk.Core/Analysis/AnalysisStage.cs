namespace Catwalk.Core.Analysis;

/// <summary>The stages an analysis reports, in order.</summary>
public enum AnalysisStage
{
    /// <summary>Repository metadata and the list of files.</summary>
    ReadingRepository,

    /// <summary>Registry metadata (server.json), manifests, README and source files.</summary>
    ReadingManifests,

    /// <summary>Asking the language model to fill gaps and describe variables.</summary>
    AskingLlm,

    /// <summary>Checking the package on npm or PyPI.</summary>
    CheckingPackage,

    Done,
}
