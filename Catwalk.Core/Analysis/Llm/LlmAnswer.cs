using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>A validated answer from the language model.</summary>
internal sealed record LlmAnswer(
    string? Name,
    string? Description,
    string? Package,
    PackageRuntime? Runtime,
    IReadOnlyList<LlmEnvVar> Env,
    IReadOnlyList<ToolSpec> Tools);

internal sealed record LlmEnvVar(string Name, string? Description, bool Required, bool Secret, string? Default);
