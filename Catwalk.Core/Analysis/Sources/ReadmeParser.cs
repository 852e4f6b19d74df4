using System.Text.Json;
using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// A README: client config examples (<c>mcpServers</c> blocks with command, args and env), command lines
/// (<c>npx</c>, <c>uvx</c>, <c>docker -e</c>), environment variable tables and lists, and the tools it lists.
/// Sections about development, tests, evals or the HTTP transport are skipped.
/// </summary>
internal static partial class ReadmeParser
{
    public static IReadOnlyList<SourceFindings> Parse(string path, string content)
    {
        var document = MarkdownDocument.Parse(content);
        var config = new SourceFindings(path, EvidenceKind.ReadmeConfig);
        var prose = new SourceFindings(path, EvidenceKind.ReadmeProse);

        foreach (var block in document.CodeBlocks)
        {
            if (IsSkippedSection(block.Headings))
            {
                continue;
            }

            ReadCodeBlock(block, config);
        }

        ReadProse(document, config, prose);
        OptionVariableScheme.ReadReadme(content, prose);
        ReadTools(document, prose);
        return [config, prose];
    }

    /// <summary>True for sections about developing, testing or hosting the server rather than running it over stdio.</summary>
    internal static bool IsSkippedSection(IReadOnlyList<string> headings) => headings.Any(h => SkippedSection().IsMatch(h));

    private static void ReadCodeBlock(MarkdownCodeBlock block, SourceFindings config)
    {
        var code = block.Code;
        if (code.TrimStart().StartsWith('{') || code.TrimStart().StartsWith('"') || block.Language is "json" or "jsonc" or "json5")
        {
            var document = JsonReading.TryParse(code) ?? JsonReading.TryParse("{" + code.Trim().TrimEnd(',') + "}");
            if (document is not null)
            {
                using (document)
                {
                    ReadServerConfigs(document.RootElement, config, depth: 0);
                }

                return;
            }

            // Not valid JSON (placeholders, ellipses): read env blocks and command/args pairs by pattern.
            foreach (Match env in EnvObject().Matches(code))
            {
                foreach (Match key in JsonKey().Matches(env.Groups["body"].Value))
                {
                    AddEnv(config, key.Groups["name"].Value, EvidenceKind.ReadmeConfig);
                }
            }

            foreach (Match command in CommandAndArgs().Matches(code))
            {
                var words = new List<string> { command.Groups["command"].Value };
                words.AddRange(JsonString().Matches(command.Groups["args"].Value).Select(m => m.Groups["value"].Value));
                CommandLineReader.Read(words, config, EvidenceKind.ReadmeConfig);
            }

            return;
        }

        // Shell, env files, Dockerfiles, TOML: join continued lines, then read each command.
        var joined = code.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var rawLine in joined.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("$ ", StringComparison.Ordinal) || line.StartsWith("> ", StringComparison.Ordinal))
            {
                line = line[2..];
            }

            if (line.StartsWith('#') && !line.StartsWith("#!", StringComparison.Ordinal))
            {
                line = line.TrimStart('#').Trim();
                if (!EnvLine().IsMatch(line))
                {
                    continue;
                }
            }

            // export KEY=value / KEY=value / set KEY=value / $env:KEY="value" / ENV KEY=value (Dockerfile)
            var envLine = EnvLine().Match(line);
            if (envLine.Success && (envLine.Groups["prefix"].Success || !line.Contains(' ', StringComparison.Ordinal)))
            {
                AddEnv(config, envLine.Groups["name"].Value, EvidenceKind.ReadmeConfig);
                continue;
            }

            // TOML (Codex) and YAML configs: env = { KEY = "..." } / KEY: value under env:
            foreach (Match assignment in TomlEnvEntry().Matches(line))
            {
                AddEnv(config, assignment.Groups["name"].Value, EvidenceKind.ReadmeConfig);
            }

            foreach (var command in line.Split(["&&", "||", ";", "|"], StringSplitOptions.RemoveEmptyEntries))
            {
                CommandLineReader.Read(CommandLineReader.Split(command.Trim()), config, EvidenceKind.ReadmeConfig);
            }
        }
    }

    /// <summary>Finds objects with a <c>command</c> (client server entries) anywhere in the JSON.</summary>
    private static void ReadServerConfigs(JsonElement element, SourceFindings config, int depth)
    {
        if (depth > 12)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                ReadServerConfigs(item, config, depth + 1);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // Zed nests { "command": { "path": "npx", "args": [...], "env": {...} } }.
        var command = JsonReading.Property(element, "command")
            ?? (JsonReading.Property(element, "args") is not null ? JsonReading.Property(element, "path") : null);
        if (command is { } commandValue)
        {
            var words = new List<string>();
            if (commandValue.ValueKind == JsonValueKind.String)
            {
                words.AddRange(CommandLineReader.Split(commandValue.GetString()!));
            }
            else if (commandValue.ValueKind == JsonValueKind.Array)
            {
                words.AddRange(commandValue.EnumerateArray().Select(e => JsonReading.Scalar(e)).OfType<string>());
            }

            words.AddRange(JsonReading.Array(element, "args").Select(e => JsonReading.Scalar(e)).OfType<string>());
            CommandLineReader.Read(words, config, EvidenceKind.ReadmeConfig);
        }

        if (JsonReading.Property(element, "env", "environment") is { ValueKind: JsonValueKind.Object } env)
        {
            foreach (var variable in env.EnumerateObject())
            {
                AddEnv(config, variable.Name, EvidenceKind.ReadmeConfig, JsonReading.Scalar(variable.Value));
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("env" or "environment"))
            {
                ReadServerConfigs(property.Value, config, depth + 1);
            }
        }
    }

    private static void ReadProse(MarkdownDocument document, SourceFindings config, SourceFindings prose)
    {
        string[]? tableHeader = null;
        for (var index = 0; index < document.Lines.Count; index++)
        {
            var line = document.Lines[index];
            if (IsSkippedSection(line.Headings))
            {
                tableHeader = null;
                continue;
            }

            var text = line.Text.Trim();
            var inEnvSection = line.Headings.Any(h => EnvSection().IsMatch(h));

            if (line.IsHeading)
            {
                // #### `HEROKU_API_KEY` followed by a paragraph.
                var headingName = HeadingEnvName().Match(text);
                if (headingName.Success)
                {
                    var paragraph = NextParagraph(document, index + 1);
                    AddProse(prose, headingName.Groups["name"].Value, paragraph);
                }

                tableHeader = null;
                continue;
            }

            if (text.StartsWith('|'))
            {
                var cells = text.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells.All(c => TableRule().IsMatch(c)))
                {
                    continue;
                }

                var first = Unwrap(cells[0]);
                if (tableHeader is null && !EnvVarHeuristics.LooksLikeEnvName(first, allowSingleWord: false))
                {
                    tableHeader = cells.Select(c => c.ToLowerInvariant()).ToArray();
                    continue;
                }

                ReadTableRow(cells, tableHeader, inEnvSection, prose);
                continue;
            }

            tableHeader = null;

            // - `NAME`: description / - **NAME** - description / * `NAME` / `--flag`: description
            var bullet = BulletEnv().Match(text);
            if (bullet.Success && EnvVarHeuristics.LooksLikeEnvName(bullet.Groups["name"].Value, allowSingleWord: inEnvSection))
            {
                var rest = bullet.Groups["rest"].Value;
                AddProse(prose, bullet.Groups["name"].Value, rest.Length > 0 ? rest : null);
                continue;
            }

            // Inline code in sentences: `KEY=value` anywhere, or `KEY` next to "environment variable".
            foreach (Match span in InlineCode().Matches(text))
            {
                var value = span.Groups["code"].Value.Trim();
                var assignment = InlineAssignment().Match(value);
                if (assignment.Success)
                {
                    AddEnv(config, assignment.Groups["name"].Value, EvidenceKind.ReadmeProse);
                    continue;
                }

                if (value.Contains(' ', StringComparison.Ordinal) && (value.Contains("npx", StringComparison.Ordinal) || value.Contains("uvx", StringComparison.Ordinal)))
                {
                    // "do not install this with `npx name`" is a warning, not an instruction.
                    if (!Discouraged().IsMatch(text))
                    {
                        CommandLineReader.Read(CommandLineReader.Split(value), config, EvidenceKind.ReadmeConfig);
                    }

                    continue;
                }

                if (EnvVarHeuristics.LooksLikeEnvName(value, allowSingleWord: false) && EnvironmentVariableWords().IsMatch(text))
                {
                    // "you do not need to set X over stdio" is not an instruction; "when running with SSE, set X" is
                    // about another transport.
                    if (NotNeeded().IsMatch(text))
                    {
                        continue;
                    }

                    if (TransportSentence().IsMatch(text) && !text.Contains("stdio", StringComparison.OrdinalIgnoreCase))
                    {
                        if (!prose.EnvVars.Any(e => e.Name == value))
                        {
                            prose.EnvVars.Add(new EnvVarFinding(value, EvidenceKind.ReadmeProse, prose.Path) { TransportOnly = true });
                        }

                        continue;
                    }

                    AddProse(prose, value, null);
                }
            }
        }
    }

    private static void ReadTableRow(string[] cells, string[]? header, bool inEnvSection, SourceFindings prose)
    {
        var nameColumn = header is null ? 0 : Math.Max(0, Array.FindIndex(header, h => h.Contains("variable", StringComparison.Ordinal) || h.Contains("name", StringComparison.Ordinal) || h.Contains("env", StringComparison.Ordinal)));
        if (nameColumn >= cells.Length)
        {
            return;
        }

        // A cell may hold "`CONTENTFUL_HOST` / `--host`": the first code span that looks like a variable.
        var name = CellEnvName(cells[nameColumn], inEnvSection || HeaderMentionsVariables(header));
        if (name is null)
        {
            return;
        }

        string? description = null;
        bool? required = null;
        string? defaultValue = null;
        for (var column = 0; column < cells.Length; column++)
        {
            if (column == nameColumn)
            {
                continue;
            }

            var title = header is not null && column < header.Length ? header[column] : "";
            var cell = cells[column];
            if (title.Contains("required", StringComparison.Ordinal))
            {
                required = RequiredCell().IsMatch(cell) ? true : OptionalCell().IsMatch(cell) ? false : null;
            }
            else if (title.Contains("default", StringComparison.Ordinal))
            {
                var value = Unwrap(cell);
                defaultValue = value.Length == 0 || value is "-" or "—" or "none" or "empty" or "n/a" ? null : value;
            }
            else if (description is null && cell.Length > 0)
            {
                description = Unwrap(cell);
            }
        }

        AddProse(prose, name, description, required, defaultValue);
    }

    private static bool HeaderMentionsVariables(string[]? header) =>
        header is not null && header.Any(h => h.Contains("variable", StringComparison.Ordinal) || h.Contains("env", StringComparison.Ordinal));

    private static string? CellEnvName(string cell, bool allowSingleWord)
    {
        foreach (Match span in InlineCode().Matches(cell))
        {
            var value = span.Groups["code"].Value.Trim();
            if (EnvVarHeuristics.LooksLikeEnvName(value, allowSingleWord))
            {
                return value;
            }
        }

        var plain = Unwrap(cell);
        return EnvVarHeuristics.LooksLikeEnvName(plain, allowSingleWord) ? plain : null;
    }

    private static void ReadTools(MarkdownDocument document, SourceFindings prose)
    {
        for (var index = 0; index < document.Lines.Count; index++)
        {
            var line = document.Lines[index];
            if (line.Headings.Count == 0 || !ToolSection().IsMatch(line.Headings[^1]) && !(line.Headings.Count > 1 && ToolSection().IsMatch(line.Headings[^2])))
            {
                continue;
            }

            var text = line.Text.Trim();
            Match match;
            if (line.IsHeading)
            {
                match = HeadingTool().Match(text);
                if (match.Success && !ToolSection().IsMatch(text))
                {
                    AddTool(prose, match.Groups["name"].Value, NextParagraph(document, index + 1));
                }

                continue;
            }

            match = BulletTool().Match(text);
            if (!match.Success && text.StartsWith('|'))
            {
                match = TableTool().Match(text);
            }

            if (match.Success)
            {
                var rest = match.Groups["rest"].Value.Trim().Trim('|').Trim();
                AddTool(prose, match.Groups["name"].Value, rest.Length > 0 ? Unwrap(rest.Split('|')[0]) : null);
            }
        }
    }

    private static void AddTool(SourceFindings findings, string name, string? description)
    {
        if (!ToolName().IsMatch(name) || EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true) || findings.Tools.Any(t => t.Name == name))
        {
            return;
        }

        findings.Tools.Add(new ToolSpec { Name = name, Description = string.IsNullOrWhiteSpace(description) ? null : Shorten(description) });
    }

    private static string? NextParagraph(MarkdownDocument document, int start)
    {
        for (var i = start; i < document.Lines.Count && i < start + 6; i++)
        {
            var line = document.Lines[i];
            if (line.IsHeading)
            {
                return null;
            }

            var text = line.Text.Trim();
            if (text.Length > 0)
            {
                return Shorten(Unwrap(text.TrimStart('-', '*', '>', ' ')));
            }
        }

        return null;
    }

    private static void AddProse(SourceFindings prose, string name, string? text, bool? required = null, string? defaultValue = null)
    {
        if (!EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true))
        {
            return;
        }

        var description = text is null ? null : Unwrap(SeparatorPrefix().Replace(text, "")).Trim();
        if (description is { Length: 0 })
        {
            description = null;
        }

        if (description is not null)
        {
            required ??= RequiredText().IsMatch(description) ? true : OptionalText().IsMatch(description) ? false : null;
            defaultValue ??= DefaultText().Match(description) is { Success: true } d ? d.Groups["value"].Value.Trim().TrimEnd('.') : null;
        }

        var existing = prose.EnvVars.FindIndex(e => e.Name == name);
        var finding = new EnvVarFinding(name, EvidenceKind.ReadmeProse, prose.Path)
        {
            Description = description is null ? null : Shorten(description),
            Required = required,
            Default = defaultValue,
            HasAlternative = description is not null && AlternativeText().IsMatch(description),
        };
        if (existing < 0)
        {
            prose.EnvVars.Add(finding);
        }
        else if (prose.EnvVars[existing].Description is null && finding.Description is not null)
        {
            prose.EnvVars[existing] = finding;
        }
    }

    private static void AddEnv(SourceFindings findings, string name, EvidenceKind kind, string? example = null)
    {
        if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true) && !findings.EnvVars.Any(e => e.Name == name))
        {
            findings.EnvVars.Add(new EnvVarFinding(name, kind, findings.Path) { Example = string.IsNullOrWhiteSpace(example) ? null : example });
        }
    }

    /// <summary>Strips markdown emphasis, code ticks and links down to their text.</summary>
    private static string Unwrap(string text) =>
        MarkdownLink().Replace(text, "${text}").Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..297] + "...";

    [GeneratedRegex(@"\b(?:do(?:es)?\s+not|don't|doesn't|no)\s+need\b|\bnot\s+(?:needed|required|necessary)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotNeeded();

    [GeneratedRegex(@"\b(?:SSE|Streamable[- ]HTTP|HTTP\s+(?:mode|transport|server|protocol)s?|remote\s+mode|server[- ]sent\s+events)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TransportSentence();

    [GeneratedRegex(@"develop|contribut|\btest|\bevals?\b|building|build from source|from source|local build|debugging|release|publish|changelog|licen[cs]e|acknowledg|credits|sponsor|star history|roadmap|http\b|\bsse\b|streamable|remote (mcp )?server|hosted|self-host|deploy|vercel|cloudflare|kubernetes deploy|helm|docker compose|architecture|internals|project structure|security policy|telemetry data", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SkippedSection();

    [GeneratedRegex(@"environment|env\b|env var|variables|configur|config\b|settings|options|credential|authentic|api key|token", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnvSection();

    [GeneratedRegex(@"\btools?\b|capabilit|features|functions|commands|endpoints|operations", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ToolSection();

    [GeneratedRegex(@"""(?:env|environment)""\s*:\s*\{(?<body>[^{}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex EnvObject();

    [GeneratedRegex(@"""(?<name>[A-Za-z_][A-Za-z0-9_]*)""\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex JsonKey();

    [GeneratedRegex(@"""command""\s*:\s*""(?<command>[^""]+)""\s*,\s*""args""\s*:\s*\[(?<args>[^\]]*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex CommandAndArgs();

    [GeneratedRegex(@"""(?<value>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonString();

    [GeneratedRegex(@"^(?<prefix>export\s+|set\s+|\$env:|ENV\s+|-e\s+)?(?<name>[A-Z][A-Z0-9_]*)\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"(?:^|[{,]\s*)(?<name>[A-Z][A-Z0-9_]{2,})\s*=\s*[""']", RegexOptions.CultureInvariant)]
    private static partial Regex TomlEnvEntry();

    [GeneratedRegex(@"^#{1,6}\s+`?(?<name>[A-Z][A-Z0-9_]{2,})`?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingEnvName();

    [GeneratedRegex(@"^[-*+]\s+(?:\*\*|__)?`?(?<name>[A-Z][A-Z0-9_]{2,})`?(?:\*\*|__)?(?<rest>(?:\s*(?:/|,|or)\s*`[^`]*`)*\s*(?:[:(\-–—=]|\s).*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex BulletEnv();

    [GeneratedRegex(@"`(?<code>[^`]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^(?:export\s+)?(?<name>[A-Z][A-Z0-9_]{2,})=", RegexOptions.CultureInvariant)]
    private static partial Regex InlineAssignment();

    [GeneratedRegex(@"environment variable|env var|env variable|environment setting|\.env\b|\benv\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentVariableWords();

    [GeneratedRegex(@"^:?-+:?$", RegexOptions.CultureInvariant)]
    private static partial Regex TableRule();

    [GeneratedRegex(@"^\s*(?:[:\-–—=]|/\s*`[^`]*`\s*:?)+\s*", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatorPrefix();

    [GeneratedRegex(@"^\s*(\*\*)?(yes|required|true|✅|✓|✔|x)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequiredCell();

    [GeneratedRegex(@"^\s*(\*\*)?(no|optional|false|-|—)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OptionalCell();

    [GeneratedRegex(@"(?:^|[.!]\s+)\(?required\b(?!\s+(?:only\s+)?(?:if|when)\b)|\(required\)|\brequired\)|\[required\]|\bis required\b(?! (only |just )?(if|when|for))|\bmust be set\b|\bmandatory\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequiredText();

    [GeneratedRegex(@"\boptional\b|\bdefaults? (to|is)\b|\(default:|\bnot required\b|\bif (not )?set\b|\bif you (want|need)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OptionalText();

    [GeneratedRegex(@"\bdefault(?:s)?(?:\s*(?:to|is|value is)|\s*:)\s*[`""']?(?<value>[^`""'),;]{1,60})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DefaultText();

    [GeneratedRegex(@"\b(alternatively|instead of|or use|either)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlternativeText();

    [GeneratedRegex(@"\b(do not|don't|never|avoid|instead of|unrelated|deprecated|no longer)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Discouraged();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{2,6}\s+`?(?<name>[A-Za-z][A-Za-z0-9]*(?:[_\-][A-Za-z0-9]+)+)`?(?:\s*\(.*\))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingTool();

    [GeneratedRegex(@"^(?:[-*+]|\d+\.)\s+(?:\*\*|__)?`?(?<name>[a-z][a-z0-9]*(?:[_\-][a-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]+)`?(?:\*\*|__)?\s*(?:[:\-–—]\s*)?(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex BulletTool();

    [GeneratedRegex(@"^\|\s*`?(?<name>[a-z][a-z0-9]*(?:[_\-][a-z0-9]+)+)`?\s*\|(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TableTool();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolName();
}
