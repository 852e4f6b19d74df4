using System.Runtime.CompilerServices;
using System.Text;

namespace Catwalk.Tests.Fixtures;

/// <summary>Reads server-sent events off a response stream as they arrive (id and data of each event).</summary>
internal static class SseEvents
{
    public static async IAsyncEnumerable<(string? Id, string Data)> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is not null || data.Length > 0)
                {
                    yield return (id, data.ToString());
                }

                id = null;
                data.Clear();
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line[5..].TrimStart());
            }
        }
    }
}
