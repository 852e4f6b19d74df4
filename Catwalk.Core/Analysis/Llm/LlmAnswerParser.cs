using System.Text.Json;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>
/// Validates the model's reply against the answer schema. A reply that is not JSON, or lacks a required top-level
/// field, is rejected with a reason (and retried once by the caller); invalid entries inside are dropped.
/// </summary>
internal static class LlmAnswerParser
{
    private static readonly string[] RequiredFields = ["package", "runtime", "env", "tools"];

    public static LlmAnswer? Parse(string? content, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(content))
        {
            error = "the reply was empty";
            return null;
        }

        var text = content.Trim();
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0)
        {
            error = "the reply contained no JSON object";
            return null;
        }

        if (end <= start)
        {
            error = "the reply was not valid JSON (it stops before the object ends)";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text[start..(end + 1)]);
        }
        catch (JsonException ex)
        {
            error = $"the reply was not valid JSON ({ex.Message})";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the reply was not a JSON object";
                return null;
            }

            var missing = RequiredFields.Where(f => !root.TryGetProperty(f, out _)).ToList();
            if (missing.Count > 0)
            {
                error = $"the reply lacked {string.Join(", ", missing)}";
                return null;
            }

            if (root.GetProperty("env").ValueKind != JsonValueKind.Array || root.GetProperty("tools").ValueKind != JsonValueKind.Array)
            {
                error = "env and tools must be arrays";
                return null;
            }

            var runtimeText = Text(root, "runtime");
            var runtime = PackageRuntimeJsonConverter.Parse(runtimeText);
            if (runtimeText is not null && runtime is null)
            {
                error = $"runtime must be \"npm\", \"pypi\" or null, not \"{runtimeText}\"";
                return null;
            }

            var package = Text(root, "package");
            if (package is not null && (runtime is null || PackageNameRules.ValidatePackage(runtime.Value, package) is not null))
            {
                package = null;
            }

            var env = new List<LlmEnvVar>();
            foreach (var item in root.GetProperty("env").EnumerateArray())
            {
                var name = Text(item, "name");
                if (name is null || PackageNameRules.ValidateEnvironmentVariableName(name) is not null || env.Any(e => e.Name == name)
                    || !TryBool(item, "required", out var required) || !TryBool(item, "secret", out var secret))
                {
                    continue;
                }

                env.Add(new LlmEnvVar(name, Shorten(Text(item, "description")), required, secret, Shorten(Text(item, "default"))));
            }

            var tools = new List<ToolSpec>();
            foreach (var item in root.GetProperty("tools").EnumerateArray())
            {
                var name = item.ValueKind == JsonValueKind.String ? item.GetString() : Text(item, "name");
                if (name is { Length: > 0 and <= 64 } && tools.All(t => t.Name != name))
                {
                    tools.Add(new ToolSpec { Name = name, Description = item.ValueKind == JsonValueKind.Object ? Shorten(Text(item, "description")) : null });
                }
            }

            return new LlmAnswer(Shorten(Text(root, "name")), Shorten(Text(root, "description")), package, runtime, env, tools);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    private static bool TryBool(JsonElement element, string name, out bool value)
    {
        value = false;
        if (!element.TryGetProperty(name, out var property))
        {
            return false;
        }

        if (property.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = property.GetBoolean();
            return true;
        }

        return false;
    }

    private static string? Shorten(string? text) => text is null ? null : text.Length <= 400 ? text : text[..397] + "...";
}
