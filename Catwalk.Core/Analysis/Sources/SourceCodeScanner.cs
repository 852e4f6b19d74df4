using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>
/// Scans JavaScript/TypeScript and Python source for the environment variables it reads (<c>process.env.X</c>,
/// <c>os.getenv("X")</c>, <c>os.environ[...]</c>, <c>getEnv("X")</c>-style helpers, destructuring, pydantic
/// settings, zod env schemas), their literal defaults, whether the server refuses to start without them, and the
/// tools it registers.
/// </summary>
internal static partial class SourceCodeScanner
{
    private const int MaxLineLength = 2_000;

    public static SourceFindings Scan(string path, string content)
    {
        var findings = new SourceFindings(path, EvidenceKind.Code);
        // Bundled or minified code can have enormous lines; configuration reads are never that far in.
        var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(line => line.Length <= MaxLineLength ? line : line[..MaxLineLength])
            .ToArray();
        var reads = new Dictionary<string, ReadFacts>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);

        ReadFacts Read(string name, bool inTransportBranch = false)
        {
            if (!reads.TryGetValue(name, out var facts))
            {
                facts = new ReadFacts(reads.Count);
                reads[name] = facts;
            }

            facts.OutsideTransportBranch |= !inTransportBranch;
            return facts;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var code = StripComment(line);
            var namesOnLine = new List<string>();
            var transportOnly = code.Length > 0 && InTransportBranch(lines, i);
            foreach (var regex in new[] { JsEnvRead(), PyEnvRead(), HelperEnvRead(), EnvObjectRead() })
            {
                foreach (Match match in regex.Matches(code))
                {
                    var name = match.Groups["name"].Value;
                    // Helpers such as settings_from_env("JIRA") take prefixes, so a helper's argument needs an underscore.
                    if (!EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: regex != HelperEnvRead()))
                    {
                        continue;
                    }

                    var facts = Read(name, transportOnly);
                    namesOnLine.Add(name);
                    if (match.Groups["default"].Success && Literal(match.Groups["default"].Value) is { } literal)
                    {
                        facts.Default ??= literal;
                    }

                    // process.env.X || something, os.getenv("X", something): the code copes without it.
                    var after = code[(match.Index + match.Length)..];
                    if (match.Groups["default"].Success ? Literal(match.Groups["default"].Value) is not null : Fallback().IsMatch(after))
                    {
                        facts.HasFallback = true;
                    }

                    // options.apiKey || process.env.X, cliToken ?? process.env.X, os.getenv("X", args.key): a
                    // command-line argument can stand in, so the variable is one of two routes.
                    if (CliBefore().IsMatch(code[..match.Index]) || CliAfter().IsMatch(after)
                        || match.Groups["default"].Success && CliAfter().IsMatch(", " + match.Groups["default"].Value))
                    {
                        facts.HasAlternative = true;
                    }
                }
            }

            // for var in ("A", "B"): os.environ.get(var): names listed just above a read by variable.
            if (DynamicRead().IsMatch(code))
            {
                for (var j = Math.Max(0, i - 8); j < i; j++)
                {
                    foreach (Match literal in QuotedEnvName().Matches(lines[j]))
                    {
                        if (EnvVarHeuristics.LooksLikeEnvName(literal.Groups["name"].Value, allowSingleWord: false))
                        {
                            Read(literal.Groups["name"].Value).HasFallback = true;
                        }
                    }
                }
            }

            // const apiKey = process.env.API_KEY / api_key = os.getenv("API_KEY"): remember the alias for conditions.
            var alias = Alias().Match(code);
            if (alias.Success && namesOnLine.Count > 0)
            {
                aliases[alias.Groups["alias"].Value] = namesOnLine[0];
            }

            // process.env.A || process.env.B, os.getenv("A") or os.getenv("B"), os.getenv("A", os.getenv("B")): either will do.
            if (namesOnLine.Distinct().Count() >= 2 && AlternativeOperator().IsMatch(code))
            {
                foreach (var name in namesOnLine)
                {
                    Read(name).HasAlternative = true;
                }
            }

            // const { A, B = "x" } = process.env (possibly over several lines).
            if (DestructuringEnd().IsMatch(code))
            {
                foreach (var name in DestructuredNames(lines, i))
                {
                    Read(name);
                    aliases[name] = name;
                }
            }
        }

        ReadSettingsClasses(lines, name => Read(name));
        ReadZodSchemas(content, name => Read(name));
        MarkRequired(lines, reads, aliases);

        // Variables read only where the server sets up its HTTP/SSE transport do not matter over stdio: they are
        // reported as such, so that a README merely listing them does not bring them back.
        foreach (var (name, facts) in reads.OrderBy(r => r.Value.Order))
        {
            findings.EnvVars.Add(new EnvVarFinding(name, EvidenceKind.Code, path)
            {
                Default = facts.Default,
                Required = facts.Required ? true : facts.HasFallback ? false : null,
                HasAlternative = facts.HasAlternative,
                TransportOnly = !facts.OutsideTransportBranch,
            });
        }

        OptionVariableScheme.ReadClick(content, findings);
        ReadTools(lines, findings);
        return findings;
    }

    /// <summary>
    /// The server refuses to start without a variable when a condition on it (or its alias) leads to exit/throw,
    /// or an error message names it as required. A condition joining two variables with "and" means either will do.
    /// </summary>
    private static void MarkRequired(string[] lines, Dictionary<string, ReadFacts> reads, Dictionary<string, string> aliases)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var code = StripComment(lines[i]);
            var condition = Condition().Match(code);
            if (condition.Success)
            {
                // A condition may continue over several lines: if (\n not a\n and not b\n):
                var (text, last) = FullCondition(lines, i, condition.Groups["cond"].Value);
                if (Fails(lines, last, 6))
                {
                    var negated = NegatedNames(text, aliases).Where(reads.ContainsKey).Distinct().ToList();
                    var conjunction = AndOperator().IsMatch(text);
                    var conditional = IsNested(lines, i);
                    foreach (var name in negated)
                    {
                        if (conjunction && (negated.Count > 1 || OtherNegations(text) > negated.Count))
                        {
                            reads[name].HasAlternative = true;
                        }
                        else if (!conditional)
                        {
                            reads[name].RequiredByCondition = true;
                        }
                    }
                }
            }

            var message = RequiredMessage().Match(lines[i]);
            if (message.Success && !IsNested(lines, EnclosingCondition(lines, i))
                && (Fails(lines, Math.Max(0, i - 1), 4) || ErrorOutput().IsMatch(lines[i]) || ErrorOutput().IsMatch(i > 0 ? lines[i - 1] : "")))
            {
                var window = string.Join(' ', lines.Skip(i).Take(2));
                var named = MentionedNames(window, reads.Keys).ToList();
                if (named.Count == 1)
                {
                    reads[named[0]].RequiredByMessage = true;
                }
                else if (named.Count > 1)
                {
                    foreach (var name in named)
                    {
                        reads[name].HasAlternative = true;
                    }
                }
            }
        }

        foreach (var facts in reads.Values)
        {
            facts.Required = (facts.RequiredByCondition || facts.RequiredByMessage) && !facts.HasAlternative;
        }
    }

    /// <summary>The condition's text up to its closing parenthesis (at most six lines on), and the line it ends on.</summary>
    private static (string Text, int LastLine) FullCondition(string[] lines, int start, string first)
    {
        var text = first;
        var depth = lines[start].Count(c => c == '(') - lines[start].Count(c => c == ')');
        var last = start;
        while (depth > 0 && last + 1 < lines.Length && last < start + 6)
        {
            last++;
            text += " " + lines[last].Trim();
            depth += lines[last].Count(c => c == '(') - lines[last].Count(c => c == ')');
        }

        return (text, last);
    }

    /// <summary>The line that opens the block containing <paramref name="line"/>: the nearest line above with less indentation.</summary>
    private static int Guard(string[] lines, int line)
    {
        var indent = Indentation(lines[line]);
        for (var j = line - 1; j >= 0; j--)
        {
            if (lines[j].Trim().Length > 0 && Indentation(lines[j]) < indent)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>True inside a branch taken only for the HTTP or SSE transport (if (transport === "http") { … }).</summary>
    private static bool InTransportBranch(string[] lines, int line)
    {
        var current = line;
        for (var hops = 0; hops < 5; hops++)
        {
            current = Guard(lines, current);
            if (current < 0 || FunctionStart().IsMatch(lines[current]))
            {
                return false;
            }

            if (BranchStatement().IsMatch(lines[current]) && TransportCondition().IsMatch(lines[current]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The if/elif line whose block contains <paramref name="line"/> (walking out of calls spread over lines); -1 when none.</summary>
    private static int EnclosingCondition(string[] lines, int line)
    {
        var current = line;
        for (var hops = 0; hops < 4; hops++)
        {
            current = Guard(lines, current);
            if (current < 0 || FunctionStart().IsMatch(lines[current]))
            {
                return -1;
            }

            if (BranchStatement().IsMatch(lines[current]))
            {
                return current;
            }
        }

        return -1;
    }

    /// <summary>
    /// True when the statement at <paramref name="line"/> sits inside another condition (if mode == "cloud": …): what it
    /// demands is needed only in that case, so it does not make a variable required.
    /// </summary>
    private static bool IsNested(string[] lines, int line)
    {
        if (line < 0)
        {
            return false;
        }

        var guard = Guard(lines, line);
        return guard >= 0 && BranchStatement().IsMatch(lines[guard]);
    }

    private static int Indentation(string line) => line.Length - line.TrimStart().Length + line.TakeWhile(c => c == '\t').Count() * 3;

    private static bool Fails(string[] lines, int start, int window)
    {
        for (var j = start; j < lines.Length && j <= start + window; j++)
        {
            if (FailureAction().IsMatch(StripComment(lines[j])))
            {
                return true;
            }

            if (j > start && lines[j].TrimStart().StartsWith('}') && lines[j].Contains("else", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return false;
    }

    private static IEnumerable<string> NegatedNames(string condition, Dictionary<string, string> aliases)
    {
        foreach (Match match in Negation().Matches(condition))
        {
            var name = match.Groups["name"].Value;
            if (aliases.TryGetValue(name, out var env))
            {
                yield return env;
            }
            else if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true))
            {
                yield return name;
            }
        }
    }

    private static int OtherNegations(string condition) => Negation().Count(condition);

    /// <summary>Variables named in an error message, directly or as the matching --flag (--brave-api-key for BRAVE_API_KEY).</summary>
    private static IEnumerable<string> MentionedNames(string text, IEnumerable<string> known)
    {
        var flags = Flag().Matches(text).Select(m => m.Groups["flag"].Value.Replace('-', '_').ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var name in known)
        {
            if (Regex.IsMatch(text, $@"(?<![A-Za-z0-9_]){Regex.Escape(name)}(?![A-Za-z0-9_])", RegexOptions.CultureInvariant)
                || flags.Contains(name))
            {
                yield return name;
            }
        }
    }

    private static IEnumerable<string> DestructuredNames(string[] lines, int end)
    {
        var text = new List<string>();
        for (var j = end; j >= 0 && j >= end - 30; j--)
        {
            text.Insert(0, StripComment(lines[j]));
            if (lines[j].Contains('{', StringComparison.Ordinal))
            {
                break;
            }
        }

        var joined = string.Join(' ', text);
        var close = joined.IndexOf('}', StringComparison.Ordinal);
        var open = close > 0 ? joined.LastIndexOf('{', close) : -1;
        if (open < 0 || close <= open)
        {
            yield break;
        }

        foreach (var part in joined[(open + 1)..close].Split(','))
        {
            var name = part.Split([':', '='])[0].Trim();
            if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true))
            {
                yield return name;
            }
        }
    }

    /// <summary>pydantic BaseSettings: each field is read from the environment (upper-cased, with env_prefix).</summary>
    private static void ReadSettingsClasses(string[] lines, Func<string, ReadFacts> read)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (!SettingsClass().IsMatch(lines[i]))
            {
                continue;
            }

            // The prefix applies to every field, wherever model_config (or class Config) sets it: often after the fields.
            var prefix = ClassPrefix(lines, i);
            var indent = -1;
            for (var j = i + 1; j < lines.Length; j++)
            {
                var line = lines[j];
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var lineIndent = line.Length - line.TrimStart().Length;
                if (lineIndent == 0)
                {
                    break;
                }

                if (indent < 0)
                {
                    indent = lineIndent;
                }

                if (lineIndent != indent)
                {
                    continue;
                }

                var field = SettingsField().Match(line);
                if (!field.Success || field.Groups["name"].Value.StartsWith('_') || field.Groups["name"].Value == "model_config")
                {
                    continue;
                }

                // Fields computed from code (APP_VERSION = _resolve_version()) are not meant to be set by users.
                var value = field.Groups["value"].Value.Trim();
                if (value.Length > 0 && Literal(value) is null && !value.StartsWith("Field(", StringComparison.Ordinal) && value is not ("None" or "True" or "False" or "\"\"" or "''"))
                {
                    continue;
                }

                // Field(alias=...) / validation_alias / env= names the variable itself, without the prefix.
                var name = (FieldAlias().Match(value) is { Success: true } alias ? alias.Groups["name"].Value : prefix + field.Groups["name"].Value).ToUpperInvariant();
                if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: true))
                {
                    var facts = read(name);
                    facts.Default ??= Literal(value);
                }
            }
        }
    }

    /// <summary>The env_prefix set anywhere in the body of the settings class that starts at <paramref name="start"/>.</summary>
    private static string ClassPrefix(string[] lines, int start)
    {
        for (var j = start + 1; j < lines.Length; j++)
        {
            var line = lines[j];
            if (line.Trim().Length > 0 && line.Length - line.TrimStart().Length == 0)
            {
                break;
            }

            if (EnvPrefix().Match(line) is { Success: true } match)
            {
                return match.Groups["prefix"].Value;
            }
        }

        return "";
    }

    /// <summary>zod env schemas: <c>z.object({ API_KEY: z.string(), … }).parse(process.env)</c>.</summary>
    private static void ReadZodSchemas(string content, Func<string, ReadFacts> read)
    {
        if (!content.Contains("process.env", StringComparison.Ordinal) || !content.Contains("z.object", StringComparison.Ordinal))
        {
            return;
        }

        foreach (Match match in ZodField().Matches(content))
        {
            var name = match.Groups["name"].Value;
            if (EnvVarHeuristics.LooksLikeEnvName(name, allowSingleWord: false))
            {
                var facts = read(name);
                var chain = match.Groups["chain"].Value;
                if (chain.Contains(".default(", StringComparison.Ordinal) || chain.Contains(".optional(", StringComparison.Ordinal))
                {
                    facts.HasFallback = true;
                }
                else if (chain.Contains(".min(1", StringComparison.Ordinal) || chain.Contains(".nonempty(", StringComparison.Ordinal))
                {
                    // z.string().min(1) with no default: parsing process.env fails without it.
                    facts.RequiredByCondition = true;
                }
            }
        }
    }

    private static void ReadTools(string[] lines, SourceFindings findings)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var registration = ToolRegistration().Match(line);
            if (registration.Success)
            {
                var description = registration.Groups["desc"].Success ? registration.Groups["desc"].Value : DescriptionNear(lines, i, 6);
                AddTool(findings, registration.Groups["name"].Value, description);
                continue;
            }

            // { name: "tool_name", description: "...", inputSchema: ... }
            var named = ToolObjectName().Match(line);
            if (named.Success && Enumerable.Range(i, Math.Min(25, lines.Length - i)).Any(j => InputSchema().IsMatch(lines[j])))
            {
                AddTool(findings, named.Groups["name"].Value, DescriptionNear(lines, i, 4));
                continue;
            }

            // @mcp.tool() / @server.tool(...) followed by def name(...): with a docstring.
            if (PythonToolDecorator().IsMatch(line))
            {
                var explicitName = PythonToolName().Match(line);
                for (var j = i + 1; j < lines.Length && j <= i + 6; j++)
                {
                    var def = PythonDef().Match(lines[j]);
                    if (def.Success)
                    {
                        var docstring = j + 1 < lines.Length ? Docstring().Match(string.Join('\n', lines.Skip(j + 1).Take(4))) : Match.Empty;
                        AddTool(findings, explicitName.Success ? explicitName.Groups["name"].Value : def.Groups["name"].Value,
                            docstring.Success ? docstring.Groups["text"].Value.Trim() : null);
                        break;
                    }
                }
            }
        }
    }

    private static string? DescriptionNear(string[] lines, int start, int window)
    {
        for (var j = start; j < lines.Length && j <= start + window; j++)
        {
            var description = ToolDescription().Match(lines[j]);
            if (description.Success)
            {
                return description.Groups["desc"].Value;
            }
        }

        return null;
    }

    private static void AddTool(SourceFindings findings, string name, string? description)
    {
        if (!ToolName().IsMatch(name) || findings.Tools.Any(t => t.Name == name))
        {
            return;
        }

        var text = description?.Trim();
        findings.Tools.Add(new ToolSpec { Name = name, Description = string.IsNullOrEmpty(text) ? null : text.Length <= 300 ? text : text[..297] + "..." });
    }

    /// <summary>A string or number literal's value; null for anything else (expressions, empty strings).</summary>
    private static string? Literal(string text)
    {
        var value = text.Trim().TrimEnd(')', ',', ';').Trim();
        if (value.Length >= 2 && (value[0] is '"' or '\'' or '`') && value[^1] == value[0])
        {
            var inner = value[1..^1];
            return inner.Length == 0 || inner.Contains("${", StringComparison.Ordinal) ? null : inner;
        }

        return NumberOrBool().IsMatch(value) ? value : null;
    }

    private static string StripComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith('#') || trimmed.StartsWith('*') || trimmed.StartsWith("/*", StringComparison.Ordinal)
            ? ""
            : line;
    }

    private sealed class ReadFacts(int order)
    {
        public int Order { get; } = order;

        public string? Default { get; set; }

        public bool HasAlternative { get; set; }

        public bool RequiredByCondition { get; set; }

        public bool RequiredByMessage { get; set; }

        public bool Required { get; set; }

        public bool HasFallback { get; set; }

        public bool OutsideTransportBranch { get; set; }
    }

    [GeneratedRegex(@"(?:process|Bun)\.env(?:\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[\s*[""'`](?<name>[A-Za-z_][A-Za-z0-9_]*)[""'`]\s*\])(?:\?\.\w+\(\))?(?:\s*(?:\?\?|\|\|)\s*(?<default>[""'`][^""'`]*[""'`]|-?\d+(?:\.\d+)?|true|false))?|import\.meta\.env\.(?<name>[A-Z_][A-Z0-9_]*)|Deno\.env\.get\(\s*[""'](?<name>[A-Za-z_][A-Za-z0-9_]*)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex JsEnvRead();

    [GeneratedRegex(@"(?:os\.)?(?:environ\.get|getenv|environ\.setdefault)\(\s*[""'](?<name>[A-Za-z_][A-Za-z0-9_]*)[""']\s*(?:,\s*(?<default>[""'][^""']*[""']|-?\d+(?:\.\d+)?|True|False))?|environ\[\s*[""'](?<name>[A-Za-z_][A-Za-z0-9_]*)[""']\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex PyEnvRead();

    // getEnv("X"), readEnv('X'), is_env_truthy("X"), env_bool("X", False), requireEnv("X"), envOrThrow("X")
    [GeneratedRegex(@"\b\w*(?:[Ee]nv|ENV)\w*\(\s*[""'](?<name>[A-Z][A-Z0-9_]*)[""']\s*(?:,\s*(?<default>[""'][^""']*[""']|-?\d+(?:\.\d+)?|true|false|True|False))?", RegexOptions.CultureInvariant)]
    private static partial Regex HelperEnvRead();

    // env.X or env["X"] where env is an alias of process.env (const env = process.env) or a validated env object.
    [GeneratedRegex(@"(?<![.\w])env(?:\.(?<name>[A-Z][A-Z0-9_]{2,})\b|\[\s*[""'](?<name>[A-Z][A-Z0-9_]*)[""']\s*\])", RegexOptions.CultureInvariant)]
    private static partial Regex EnvObjectRead();

    [GeneratedRegex(@"^\s*(?:(?:export\s+)?(?:const|let|var)\s+)?(?<alias>[A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[\w|<> \[\]]+)?\s*=[^=]", RegexOptions.CultureInvariant)]
    private static partial Regex Alias();

    [GeneratedRegex(@"\b(?:options|opts|args|argv|flags|cli[A-Za-z0-9_]*|parsed[A-Za-z]*|program\.opts\(\))(?:\.[A-Za-z0-9_]+|\[[^\]]+\])?\s*(?:\|\||\?\?|\bor\b)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CliBefore();

    [GeneratedRegex(@"^\s*(?:\|\||\?\?|\bor\b|,)\s*(?:options|opts|args|argv|flags|cli[A-Za-z0-9_]*)\b(?:\.|\[)", RegexOptions.CultureInvariant)]
    private static partial Regex CliAfter();

    [GeneratedRegex(@"\|\||\?\?|\bor\b|getenv\([^)]*getenv\(|environ\.get\([^)]*environ\.get\(", RegexOptions.CultureInvariant)]
    private static partial Regex AlternativeOperator();

    [GeneratedRegex(@"^\s*(?:\|\||\?\?|\bor\b|,)\s*(?![""'`]{2})(?!process\.env|os\.(?:getenv|environ))[^\s)]", RegexOptions.CultureInvariant)]
    private static partial Regex Fallback();

    [GeneratedRegex(@"(?:os\.environ\.get|os\.getenv|getenv)\(\s*[A-Za-z_][A-Za-z0-9_]*\s*[,)]|process\.env\[\s*[A-Za-z_][A-Za-z0-9_]*\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex DynamicRead();

    [GeneratedRegex(@"[""'](?<name>[A-Z][A-Z0-9_]{2,})[""']", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedEnvName();

    [GeneratedRegex(@"(?:transport|mode)\w*\s*(?:===?|!==?|==|in)\s*\(?\s*[""'`](?:https?|sse|streamable[-_]?http|streamableHttp|http-stream)[""'`]|\b(?:isHttp|useHttp|httpMode|enableHttp|isSse|useSse|ENABLE_HTTP_SERVER|ENABLE_\w*(?:SSE|HTTP)\w*TRANSPORT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TransportCondition();

    [GeneratedRegex(@"^\s*(?:export\s+)?(?:async\s+)?(?:def|function|class)\b|=>\s*\{\s*$|^\s*(?:public|private|protected|static)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionStart();

    [GeneratedRegex(@"^\s*(?:\}\s*)?(?:if|elif|else|else\s+if|case|switch|when|match)\b", RegexOptions.CultureInvariant)]
    private static partial Regex BranchStatement();

    [GeneratedRegex(@"\}\s*=\s*process\.env\b", RegexOptions.CultureInvariant)]
    private static partial Regex DestructuringEnd();

    [GeneratedRegex(@"^\s*(?:\}\s*else\s+)?(?:if|elif|unless)\b\s*\(?(?<cond>.*?)\)?\s*(?:\{|:|then)?\s*(?:\{.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Condition();

    [GeneratedRegex(@"(?:!\s*|\bnot\s+)(?:process\.env\.|os\.getenv\(\s*[""']|os\.environ\.get\(\s*[""']|env\.)?(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Negation();

    [GeneratedRegex(@"&&|\band\b", RegexOptions.CultureInvariant)]
    private static partial Regex AndOperator();

    [GeneratedRegex(@"process\.exit\(|\bthrow\b|\braise\b|sys\.exit\(|parser\.error\(|\bexit\(\s*1|os\._exit\(|\.fail\(|Deno\.exit\(", RegexOptions.CultureInvariant)]
    private static partial Regex FailureAction();

    [GeneratedRegex(@"console\.error\(|log(?:ger)?\.(?:error|fatal|critical)\(|print\(.*stderr|logging\.(?:error|critical)\(", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorOutput();

    [GeneratedRegex(@"[""'`][^""'`]*(?:\brequired\b|\bmust be (?:set|provided|specified|configured)|\bis not set\b|\bnot set\b|\bis missing\b|\bmissing\b|\bplease (?:set|provide)\b|\bno\b[^""'`]{0,40}\b(?:found|provided|configured|set)\b)[^""'`]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequiredMessage();

    [GeneratedRegex(@"(?<![\w-])--(?<flag>[a-z][a-z0-9\-]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex Flag();

    [GeneratedRegex(@"^class\s+\w+\s*\([^)]*BaseSettings[^)]*\)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex SettingsClass();

    [GeneratedRegex(@"\bFields?\s*\(.*?\b(?:validation_alias|alias|env)\s*=\s*[""'](?<name>[A-Za-z_][A-Za-z0-9_]*)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex FieldAlias();

    [GeneratedRegex(@"env_prefix\s*=\s*[""'](?<prefix>[A-Za-z0-9_]*)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex EnvPrefix();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*[^=]+?(?:=\s*(?<value>.+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingsField();

    [GeneratedRegex(@"\b(?<name>[A-Z][A-Z0-9_]{2,})\s*:\s*z\s*(?<chain>(?:\.\w+\([^()]*(?:\([^()]*\)[^()]*)?\))+)", RegexOptions.CultureInvariant)]
    private static partial Regex ZodField();

    [GeneratedRegex(@"^-?\d+(?:\.\d+)?$|^(?:true|false|True|False)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberOrBool();

    [GeneratedRegex(@"\.(?:tool|registerTool|addTool)\(\s*[""'`](?<name>[A-Za-z][A-Za-z0-9_\-]*)[""'`]\s*(?:,\s*[""'`](?<desc>[^""'`]{3,})[""'`])?", RegexOptions.CultureInvariant)]
    private static partial Regex ToolRegistration();

    [GeneratedRegex(@"^\s*name\s*:\s*[""'`](?<name>[a-z][a-z0-9]*(?:[_\-][a-z0-9]+)*)[""'`]\s*,?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolObjectName();

    [GeneratedRegex(@"\b(?:inputSchema|input_schema|parameters|argsSchema)\b", RegexOptions.CultureInvariant)]
    private static partial Regex InputSchema();

    [GeneratedRegex(@"\bdescription\s*[:=]\s*[""'`](?<desc>[^""'`]{3,})", RegexOptions.CultureInvariant)]
    private static partial Regex ToolDescription();

    [GeneratedRegex(@"^\s*@\w+(?:\.\w+)*\.tool\b", RegexOptions.CultureInvariant)]
    private static partial Regex PythonToolDecorator();

    [GeneratedRegex(@"name\s*=\s*[""'](?<name>[^""']+)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex PythonToolName();

    [GeneratedRegex(@"^\s*(?:async\s+)?def\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex PythonDef();

    [GeneratedRegex(@"^\s*(?:[rRuU]?(?:""""""|'''))\s*(?<text>[^\n""']+)", RegexOptions.CultureInvariant)]
    private static partial Regex Docstring();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolName();
}
