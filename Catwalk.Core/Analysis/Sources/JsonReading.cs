using System.Globalization;
using System.Text.Json;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>Lenient reading of JSON written by people: comments, trailing commas, camelCase or snake_case keys.</summary>
internal static class JsonReading
{
    public static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    public static JsonDocument? TryParse(string text)
    {
        try
        {
            return JsonDocument.Parse(text, Lenient);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first of <paramref name="names"/> that the object has.</summary>
    public static JsonElement? Property(JsonElement element, params string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                return value;
            }
        }

        return null;
    }

    public static string? String(JsonElement element, params string[] names) =>
        Property(element, names) is { ValueKind: JsonValueKind.String } value && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    public static bool? Bool(JsonElement element, params string[] names) => Property(element, names) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } s when bool.TryParse(s.GetString(), out var b) => b,
        _ => null,
    };

    /// <summary>A scalar as text (strings, numbers, booleans); null for objects, arrays and null.</summary>
    public static string? Scalar(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static IEnumerable<JsonElement> Array(JsonElement element, params string[] names) =>
        Property(element, names) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
