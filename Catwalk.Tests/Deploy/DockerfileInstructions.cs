using System.Text.Json;

namespace Catwalk.Tests.Deploy;

/// <summary>A Dockerfile read the way Docker reads it: comments dropped, continuation lines joined, one instruction a line.</summary>
internal sealed record DockerfileInstruction(string Keyword, string Arguments)
{
    /// <summary>The arguments of an exec-form instruction (<c>["a", "b"]</c>), or null for shell form.</summary>
    public IReadOnlyList<string>? ExecForm =>
        Arguments.TrimStart().StartsWith('[') ? JsonSerializer.Deserialize<List<string>>(Arguments.Trim()) : null;
}

internal static class DockerfileInstructions
{
    public static IReadOnlyList<DockerfileInstruction> Parse(string text)
    {
        var instructions = new List<DockerfileInstruction>();
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                var trimmed = current.Trim();
                var space = trimmed.IndexOfAny([' ', '\t']);
                instructions.Add(space < 0
                    ? new DockerfileInstruction(trimmed.ToUpperInvariant(), "")
                    : new DockerfileInstruction(trimmed[..space].ToUpperInvariant(), trimmed[(space + 1)..].Trim()));
            }

            current = "";
        }

        return instructions;
    }

    public static IReadOnlyList<DockerfileInstruction> Read(string relativePath) => Parse(RepositoryFiles.Read(relativePath));

    /// <summary>The instructions of the last stage (from its FROM on).</summary>
    public static IReadOnlyList<DockerfileInstruction> FinalStage(IReadOnlyList<DockerfileInstruction> all)
    {
        var lastFrom = all.Select((instruction, index) => (instruction, index)).Last(p => p.instruction.Keyword == "FROM").index;
        return all.Skip(lastFrom).ToList();
    }
}
