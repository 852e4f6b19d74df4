using System.Globalization;
using System.Text.Json;

namespace Catwalk.Tests.Credentials;

/// <summary>The official Fernet spec vectors, copied from the spec repository into Credentials/Vectors.</summary>
internal static class FernetVectors
{
    public static IReadOnlyList<JsonElement> Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Credentials", "Vectors", file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public static DateTimeOffset Now(JsonElement vector) =>
        DateTimeOffset.Parse(vector.GetProperty("now").GetString()!, CultureInfo.InvariantCulture);
}
