using System.Text.Json;
using System.Text.Json.Serialization;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis;

/// <summary>Writes <see cref="PackageRuntime"/> as "npm" or "pypi" (the words users and the API use).</summary>
public sealed class PackageRuntimeJsonConverter : JsonConverter<PackageRuntime?>
{
    public override bool HandleNull => true;

    public override PackageRuntime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, PackageRuntime? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(ToWord(value.Value));
        }
    }

    public static string ToWord(PackageRuntime runtime) => runtime == PackageRuntime.Npm ? "npm" : "pypi";

    public static PackageRuntime? Parse(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "npm" or "node" or "npx" => PackageRuntime.Npm,
        "pypi" or "python" or "uvx" or "pip" => PackageRuntime.Pypi,
        _ => null,
    };
}
