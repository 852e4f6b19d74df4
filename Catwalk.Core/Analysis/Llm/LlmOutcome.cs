namespace Catwalk.Core.Analysis.Llm;

/// <summary>What asking the model gave: a validated answer, or a warning that says why there is none.</summary>
internal sealed record LlmOutcome(LlmAnswer? Answer, string? Warning);
