using System.Text.Json;
using System.Text.Json.Serialization;

namespace Catwalk.Core.Machines.Fly;

/// <summary>The Machines API speaks snake_case JSON; env and metadata keys are kept as written.</summary>
public static class FlyJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
