using System.Text;
using System.Text.Json;
using Betalgo.Ranul.OpenAI.ObjectModels.SharedModels;
using Catwalk.Core.Analysis.Reading;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>The instructions, the repository files within a budget, and the JSON schema the answer must follow.</summary>
internal static class LlmPrompt
{
    public const string System = """
        You analyse the files of a GitHub repository that contains an MCP (Model Context Protocol) server, to find what
        it takes to run that server over stdio from its published package: with `npx -y <package>` (npm) or
        `uvx <package>` (PyPI). Answer with one JSON object that follows the given schema, and nothing else.

        - package: the published name a user passes to npx or uvx (usually the manifest's name, as the README tells users
          to run it); runtime: "npm" or "pypi". Use null for both when the files do not show one.
        - env: every environment variable a user sets to run the server over stdio: what the docs present as
          configuration (README examples and tables, .env.example, server.json, smithery.yaml, manifest.json user_config)
          plus variables the server's own code reads to configure itself. Leave out platform variables (NODE_ENV, PATH,
          HOME, DEBUG, proxies, OTEL_*), logging verbosity, settings only for the server's own HTTP transport (PORT, HOST,
          TRANSPORT), framework settings (FASTMCP_*), and variables only for tests, builds or examples.
        - required: true only when the server will not start, or its core tools cannot work, without it; when either of
          two variables will do, both are false.
        - secret: true for keys, tokens, passwords, client secrets and connection strings that can carry credentials.
        - description: one short sentence from the docs or code; default: the value used when unset, or null.
        - tools: the tools the server offers, with a one-line description each, where the files show them.
        - Only name variables, packages and tools that appear in the files. Do not guess.
        """;

    private static readonly RepositoryFileKind[] Order =
    [
        RepositoryFileKind.ServerJson, RepositoryFileKind.BundleManifest, RepositoryFileKind.PackageJson, RepositoryFileKind.Pyproject,
        RepositoryFileKind.Smithery, RepositoryFileKind.EnvExample, RepositoryFileKind.Readme, RepositoryFileKind.Dockerfile, RepositoryFileKind.Source,
    ];

    /// <summary>The user message: what the deterministic pass found, then the files, each cut to fit the budget.</summary>
    public static string UserMessage(RepositorySnapshot snapshot, AnalysisDraft draft, int budget)
    {
        var builder = new StringBuilder();
        builder.AppendLine($"Repository: {snapshot.Url.Normalized}");
        if (snapshot.Repository.Description is { } description)
        {
            builder.AppendLine($"GitHub description: {description}");
        }

        builder.AppendLine();
        builder.AppendLine("A rule-based pass already found the following; confirm, correct and complete it (descriptions especially):");
        builder.AppendLine(JsonSerializer.Serialize(new
        {
            package = draft.Packages.FirstOrDefault()?.Name,
            runtime = draft.Packages.FirstOrDefault() is { } p ? PackageRuntimeJsonConverter.ToWord(p.Runtime) : null,
            env = draft.Env.Select(e => new { name = e.Name, required = e.Required, secret = e.Secret }),
        }));
        builder.AppendLine();

        var remaining = budget - builder.Length;
        var files = snapshot.Files.OrderBy(f => Array.IndexOf(Order, f.Kind)).ToList();
        var omitted = new List<string>();
        foreach (var file in files)
        {
            var cap = file.Kind switch
            {
                RepositoryFileKind.Readme => 24_000,
                RepositoryFileKind.Source => 10_000,
                _ => 8_000,
            };
            var content = file.Content.Length > cap ? file.Content[..cap] + "\n…(cut)" : file.Content;
            if (content.Length + 40 > remaining)
            {
                if (remaining > 2_000)
                {
                    content = content[..(remaining - 200)] + "\n…(cut)";
                }
                else
                {
                    omitted.Add(file.Path);
                    continue;
                }
            }

            builder.AppendLine($"===== {file.Path} =====");
            builder.AppendLine(content);
            remaining -= content.Length + file.Path.Length + 14;
        }

        if (omitted.Count > 0)
        {
            builder.AppendLine($"(Not shown, to stay within budget: {string.Join(", ", omitted)})");
        }

        return builder.ToString();
    }

    /// <summary>The answer schema (strict: every field present, nulls where unknown).</summary>
    public static PropertyDefinition Schema()
    {
        static PropertyDefinition NullableString(string description) => new() { TypeList = ["string", "null"], Description = description };

        var envItem = PropertyDefinition.DefineObject(
            new Dictionary<string, PropertyDefinition>
            {
                ["name"] = PropertyDefinition.DefineString("The variable's exact name."),
                ["description"] = NullableString("One short sentence."),
                ["required"] = PropertyDefinition.DefineBoolean("True only when the server cannot start or work without it."),
                ["secret"] = PropertyDefinition.DefineBoolean("True for keys, tokens, passwords and credential-bearing connection strings."),
                ["default"] = NullableString("The value used when unset."),
            },
            ["name", "description", "required", "secret", "default"], false, null, null);
        var toolItem = PropertyDefinition.DefineObject(
            new Dictionary<string, PropertyDefinition>
            {
                ["name"] = PropertyDefinition.DefineString("The tool's name."),
                ["description"] = NullableString("One line."),
            },
            ["name", "description"], false, null, null);
        return PropertyDefinition.DefineObject(
            new Dictionary<string, PropertyDefinition>
            {
                ["name"] = NullableString("A short human name for the server."),
                ["description"] = NullableString("One sentence on what the server does."),
                ["package"] = NullableString("The npm or PyPI package name."),
                ["runtime"] = NullableString("\"npm\" or \"pypi\"."),
                ["env"] = PropertyDefinition.DefineArray(envItem),
                ["tools"] = PropertyDefinition.DefineArray(toolItem),
            },
            ["name", "description", "package", "runtime", "env", "tools"], false, null, null);
    }
}
