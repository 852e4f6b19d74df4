using System.Globalization;
using System.Text.RegularExpressions;

namespace Catwalk.Core.Machines;

/// <summary>
/// A server's output across its restarts: the runtime writes a marker line into the log each time it starts the server,
/// so a failure that follows several crashes can be read one run at a time, newest first, instead of as one paragraph.
/// </summary>
public static partial class ServerOutput
{
    /// <summary>The line written before the output of the server's <paramref name="run"/>-th start (1 = the first).</summary>
    public static string StartMarker(int run, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"── start {run}, {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ──");

    /// <summary>
    /// Splits <paramref name="lines"/> (oldest first, as logged) into one section per start, newest first. Lines before
    /// the first marker (the older part of a tail, or a runtime that writes no markers) form a section of their own.
    /// </summary>
    public static IReadOnlyList<ServerOutputSection> SplitNewestFirst(IEnumerable<string> lines)
    {
        var sections = new List<(string? Label, List<string> Lines)>();
        foreach (var line in lines)
        {
            if (Marker().Match(line) is { Success: true } marker)
            {
                sections.Add(($"Start {marker.Groups["run"].Value} at {marker.Groups["at"].Value} UTC", []));
                continue;
            }

            if (sections.Count == 0)
            {
                sections.Add((null, []));
            }

            sections[^1].Lines.Add(line);
        }

        var marked = sections.Any(s => s.Label is not null);
        return sections
            .Select(s => new ServerOutputSection(s.Label ?? (marked ? "Earlier output" : "Output"), s.Lines))
            .Reverse()
            .ToArray();
    }

    [GeneratedRegex(@"^── start (?<run>\d+), (?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z ──$")]
    private static partial Regex Marker();
}

/// <summary>The output of one start of a server (<see cref="Lines"/> oldest first), labelled for a reader.</summary>
public sealed record ServerOutputSection(string Label, IReadOnlyList<string> Lines);
