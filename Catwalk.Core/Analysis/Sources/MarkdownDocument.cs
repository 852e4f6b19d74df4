using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>A README split into lines that know their section headings, and its fenced code blocks.</summary>
internal sealed partial class MarkdownDocument
{
    private MarkdownDocument(IReadOnlyList<MarkdownLine> lines, IReadOnlyList<MarkdownCodeBlock> codeBlocks)
    {
        Lines = lines;
        CodeBlocks = codeBlocks;
    }

    /// <summary>Prose lines (outside code blocks), each with the headings above it.</summary>
    public IReadOnlyList<MarkdownLine> Lines { get; }

    public IReadOnlyList<MarkdownCodeBlock> CodeBlocks { get; }

    public static MarkdownDocument Parse(string content)
    {
        var lines = new List<MarkdownLine>();
        var blocks = new List<MarkdownCodeBlock>();
        var headings = new List<(int Level, string Text)>();
        string? fence = null;
        string language = "";
        var code = new List<string>();
        foreach (var raw in content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = raw.TrimStart();
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim().Trim(fence[0]).Length == 0)
                {
                    blocks.Add(new MarkdownCodeBlock(language, string.Join('\n', code), Path(headings)));
                    fence = null;
                    code.Clear();
                }
                else
                {
                    code.Add(raw);
                }

                continue;
            }

            var opening = Fence().Match(trimmed);
            if (opening.Success)
            {
                fence = opening.Groups["fence"].Value;
                language = opening.Groups["lang"].Value.ToLowerInvariant();
                continue;
            }

            var heading = Heading().Match(trimmed);
            if (heading.Success)
            {
                var level = heading.Groups["hashes"].Value.Length;
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, heading.Groups["text"].Value.Trim()));
                lines.Add(new MarkdownLine(raw, Path(headings), IsHeading: true));
                continue;
            }

            lines.Add(new MarkdownLine(raw, Path(headings), IsHeading: false));
        }

        if (fence is not null && code.Count > 0)
        {
            blocks.Add(new MarkdownCodeBlock(language, string.Join('\n', code), Path(headings)));
        }

        return new MarkdownDocument(lines, blocks);
    }

    private static string[] Path(List<(int Level, string Text)> headings) => headings.Select(h => h.Text).ToArray();

    [GeneratedRegex(@"^(?<fence>```+|~~~+)\s*(?<lang>[A-Za-z0-9_+\-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.+?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();
}

internal sealed record MarkdownLine(string Text, IReadOnlyList<string> Headings, bool IsHeading);

internal sealed record MarkdownCodeBlock(string Language, string Code, IReadOnlyList<string> Headings);
