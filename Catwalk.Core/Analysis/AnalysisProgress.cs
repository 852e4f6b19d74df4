namespace Catwalk.Core.Analysis;

/// <summary>One step of an analysis as it happens, with a message fit to show the user.</summary>
public sealed record AnalysisProgress(AnalysisStage Stage, string Message);
