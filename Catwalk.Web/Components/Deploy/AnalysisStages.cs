using Catwalk.Core.Analysis;

namespace Catwalk.Web.Components.Deploy;

/// <summary>The analysis stages as the wizard lists them, and how far an analysis has come.</summary>
public sealed class AnalysisStages
{
    public static readonly IReadOnlyList<(AnalysisStage Stage, string Title)> Listed =
    [
        (AnalysisStage.ReadingRepository, "Reading the repository"),
        (AnalysisStage.ReadingManifests, "Reading registry metadata, manifests and README"),
        (AnalysisStage.AskingLlm, "Asking the language model"),
        (AnalysisStage.CheckingPackage, "Checking the package on its registry"),
    ];

    private readonly Dictionary<AnalysisStage, string> _messages = [];

    /// <summary>The stage reported last; null before the first report.</summary>
    public AnalysisStage? Current { get; private set; }

    public void Report(AnalysisProgress progress)
    {
        Current = progress.Stage;
        _messages[progress.Stage] = progress.Message;
    }

    public StageState StateOf(AnalysisStage stage) =>
        Current is not { } current ? StageState.Waiting
        : current == AnalysisStage.Done || stage < current ? (_messages.ContainsKey(stage) ? StageState.Done : StageState.Skipped)
        : stage == current ? StageState.Active
        : StageState.Waiting;

    public string? MessageOf(AnalysisStage stage) => _messages.GetValueOrDefault(stage);
}

public enum StageState
{
    Waiting,
    Active,
    Done,
    Skipped,
}
