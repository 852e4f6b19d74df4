using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Catwalk.Core.Analysis;
using Catwalk.Core.GitHub;
using Catwalk.Tests.Analysis;

namespace Catwalk.Tests.Benchmarks;

/// <summary>
/// Accuracy of the deterministic analysis (no LLM) on the labelled corpus, served by the fake GitHub: package
/// exact-match rate, runtime accuracy, env-var precision and recall, required/secret flag accuracy (over the
/// variables found that are in the labels). A naive baseline measured in the same run (manifest name; every variable
/// the code reads; secret by keyword; never required) gives the ratios. Scores are given for all cases, the tuned
/// cases and the held-back cases (<see cref="Corpus.IsHeldBack"/>: every 4th by id). <c>--verbose</c> lists misses of
/// tuned cases; held-back cases show only their figures unless <c>--show-held-back</c> is given too.
/// </summary>
internal sealed partial class AnalysisAccuracyBenchmark : IBenchmark
{
    public string Name => "analysis";

    public string Description => "Deterministic analysis accuracy on the labelled corpus (package, runtime, env precision/recall, flags)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var verbose = args.Contains("--verbose");
        var showHeldBack = args.Contains("--show-held-back");
        var labels = Corpus.DevelopmentLabels();
        var ids = labels.Select(l => l.Id).ToList();
        await using var host = await AnalyzerHost.StartAsync(Corpus.Repositories);
        host.Registries.KnowsEveryPackage = true;

        var ours = new Score();
        var baseline = new Score();
        var oursTuned = new Score();
        var baselineTuned = new Score();
        var oursHeld = new Score();
        var baselineHeld = new Score();
        var stopwatch = Stopwatch.StartNew();
        Console.WriteLine($"Corpus: {Corpus.Directory} ({labels.Count} labelled cases)");
        Console.WriteLine();
        Console.WriteLine($"{"case",-40} {"package",-8} {"runtime",-8} {"env P",6} {"env R",6} {"req",6} {"secret",6}  found/labelled");
        foreach (var label in labels)
        {
            RepositoryAnalysis? analysis = null;
            string? failure = null;
            try
            {
                analysis = await host.RunAsync(label.RepoUrl, AnalysisRequest.Default, null, cancellationToken);
            }
            catch (AnalysisFailedException ex)
            {
                failure = $"{ex.Code}: {ex.Message}";
            }

            var predicted = analysis is null
                ? new Prediction(null, null, [])
                : new Prediction(analysis.Package, analysis.Runtime is { } r ? PackageRuntimeJsonConverter.ToWord(r) : null,
                    analysis.Env.Select(e => (e.Name, e.Required, e.Secret)).ToList());
            var row = ours.Add(label, predicted);
            var naive = NaiveBaseline(label);
            baseline.Add(label, naive);
            var heldBack = Corpus.IsHeldBack(label.Id, ids);
            (heldBack ? oursHeld : oursTuned).Add(label, predicted);
            (heldBack ? baselineHeld : baselineTuned).Add(label, naive);

            Console.WriteLine($"{(heldBack ? "* " : "  ") + label.Id,-40} {Mark(row.PackageMatch),-8} {Mark(row.RuntimeMatch),-8} {Ratio(row.Precision),6} {Ratio(row.Recall),6} {Ratio(row.RequiredAccuracy),6} {Ratio(row.SecretAccuracy),6}  {row.Found}/{row.Labelled}");
            if (failure is not null)
            {
                Console.WriteLine($"    failed: {failure}");
            }

            if (verbose && (!heldBack || showHeldBack))
            {
                if (!row.PackageMatch)
                {
                    Console.WriteLine($"    package: got {predicted.Package ?? "(none)"} ({predicted.Runtime}), expected {label.Package} ({label.Runtime})");
                }

                if (row.FalsePositives.Count > 0)
                {
                    Console.WriteLine($"    extra:   {string.Join(", ", row.FalsePositives)}");
                }

                if (row.FalseNegatives.Count > 0)
                {
                    Console.WriteLine($"    missed:  {string.Join(", ", row.FalseNegatives)}");
                }

                if (row.FlagErrors.Count > 0)
                {
                    Console.WriteLine($"    flags:   {string.Join(", ", row.FlagErrors)}");
                }
            }
        }

        PrintTotals($"all {labels.Count} cases (micro)", ours, baseline);
        PrintTotals($"tuned {ids.Count(id => !Corpus.IsHeldBack(id, ids))} cases (micro)", oursTuned, baselineTuned);
        PrintTotals($"held-back {ids.Count(id => Corpus.IsHeldBack(id, ids))} cases, marked * (micro)", oursHeld, baselineHeld);
        Console.WriteLine();
        Console.WriteLine($"Variables: {ours.TruePositives} of {ours.LabelledTotal} labelled found, {ours.FoundTotal - ours.TruePositives} extra ({oursHeld.TruePositives} of {oursHeld.LabelledTotal} and {oursHeld.FoundTotal - oursHeld.TruePositives} extra held back); {labels.Count} cases in {stopwatch.Elapsed.TotalSeconds:F1} s (fake GitHub on loopback).");
        return 0;
    }

    private static void PrintTotals(string title, Score ours, Score baseline)
    {
        Console.WriteLine();
        Console.WriteLine($"{title,-44} {"analyzer",10} {"baseline",10} {"ratio",8}");
        PrintTotal("package exact match", ours.PackageRate, baseline.PackageRate);
        PrintTotal("runtime accuracy", ours.RuntimeRate, baseline.RuntimeRate);
        PrintTotal("env precision", ours.MicroPrecision, baseline.MicroPrecision);
        PrintTotal("env recall", ours.MicroRecall, baseline.MicroRecall);
        PrintTotal("env F1", ours.MicroF1, baseline.MicroF1);
        PrintTotal("required accuracy", ours.RequiredRate, baseline.RequiredRate);
        PrintTotal("secret accuracy", ours.SecretRate, baseline.SecretRate);
        PrintTotal("env precision (macro)", ours.MacroPrecision, baseline.MacroPrecision);
        PrintTotal("env recall (macro)", ours.MacroRecall, baseline.MacroRecall);
    }

    private static void PrintTotal(string name, double ours, double baseline) =>
        Console.WriteLine($"{name,-44} {Ratio(ours),10} {Ratio(baseline),10} {(baseline > 0 ? (ours / baseline).ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a"),8}");

    private static string Mark(bool ok) => ok ? "yes" : "NO";

    private static string Ratio(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";

    /// <summary>The naive analysis a first attempt would do: manifest name, every variable the code reads, keyword secrets.</summary>
    private static Prediction NaiveBaseline(CorpusLabel label)
    {
        // The server's own folder: the repository, or the /tree/<branch>/<folder> a monorepo URL names.
        var url = GitHubRepoUrl.Parse(label.RepoUrl);
        var directory = Path.Combine([Corpus.Repositories, url.Owner, url.Repository, .. (url.Subdirectory?.Split('/') ?? [])]);
        string? package = null;
        string? runtime = null;
        var packageJson = Path.Combine(directory, "package.json");
        var pyproject = Path.Combine(directory, "pyproject.toml");
        if (File.Exists(packageJson))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
            package = document.RootElement.TryGetProperty("name", out var name) ? name.GetString() : null;
            runtime = "npm";
        }
        else if (File.Exists(pyproject) && NaivePyprojectName().Match(File.ReadAllText(pyproject)) is { Success: true } match)
        {
            package = match.Groups[1].Value;
            runtime = "pypi";
        }

        var names = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ts", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".py", StringComparison.Ordinal))
            .SelectMany(f => NaiveEnvRead().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .Select(n => (n, false, NaiveSecret().IsMatch(n)))
            .ToList();
        return new Prediction(package, runtime, names);
    }

    [GeneratedRegex(@"^name\s*=\s*""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex NaivePyprojectName();

    [GeneratedRegex(@"process\.env\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|os\.(?:getenv|environ\.get)\(\s*[""'](?<name>[A-Za-z_][A-Za-z0-9_]*)|os\.environ\[\s*[""'](?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex NaiveEnvRead();

    [GeneratedRegex("KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL")]
    private static partial Regex NaiveSecret();

    private sealed record Prediction(string? Package, string? Runtime, IReadOnlyList<(string Name, bool Required, bool Secret)> Env);

    private sealed record Row(bool PackageMatch, bool RuntimeMatch, double? Precision, double? Recall, double? RequiredAccuracy, double? SecretAccuracy,
        int Found, int Labelled, List<string> FalsePositives, List<string> FalseNegatives, List<string> FlagErrors);

    private sealed class Score
    {
        private int _cases;
        private int _packages;
        private int _runtimes;
        private int _required;
        private int _secret;
        private readonly List<double> _precisions = [];
        private readonly List<double> _recalls = [];

        public int TruePositives { get; private set; }

        public int FoundTotal { get; private set; }

        public int LabelledTotal { get; private set; }

        public double PackageRate => (double)_packages / _cases;

        public double RuntimeRate => (double)_runtimes / _cases;

        public double MicroPrecision => FoundTotal == 0 ? 0 : (double)TruePositives / FoundTotal;

        public double MicroRecall => LabelledTotal == 0 ? 0 : (double)TruePositives / LabelledTotal;

        public double MicroF1 => MicroPrecision + MicroRecall == 0 ? 0 : 2 * MicroPrecision * MicroRecall / (MicroPrecision + MicroRecall);

        public double RequiredRate => TruePositives == 0 ? 0 : (double)_required / TruePositives;

        public double SecretRate => TruePositives == 0 ? 0 : (double)_secret / TruePositives;

        public double MacroPrecision => _precisions.Count == 0 ? 0 : _precisions.Average();

        public double MacroRecall => _recalls.Count == 0 ? 0 : _recalls.Average();

        public Row Add(CorpusLabel label, Prediction prediction)
        {
            _cases++;
            var packageMatch = string.Equals(prediction.Package, label.Package, StringComparison.Ordinal);
            var runtimeMatch = string.Equals(prediction.Runtime, label.Runtime, StringComparison.Ordinal);
            _packages += packageMatch ? 1 : 0;
            _runtimes += runtimeMatch ? 1 : 0;

            var labelled = label.Env.ToDictionary(e => e.Name, StringComparer.Ordinal);
            var found = prediction.Env.GroupBy(e => e.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
            var matched = found.Where(e => labelled.ContainsKey(e.Name)).ToList();
            var required = matched.Count(e => e.Required == labelled[e.Name].Required);
            var secret = matched.Count(e => e.Secret == labelled[e.Name].Secret);
            TruePositives += matched.Count;
            FoundTotal += found.Count;
            LabelledTotal += labelled.Count;
            _required += required;
            _secret += secret;

            double? precision = found.Count == 0 ? (labelled.Count == 0 ? 1 : null) : (double)matched.Count / found.Count;
            double? recall = labelled.Count == 0 ? null : (double)matched.Count / labelled.Count;
            if (precision is { } p && (found.Count > 0 || labelled.Count == 0))
            {
                _precisions.Add(p);
            }

            if (recall is { } r)
            {
                _recalls.Add(r);
            }

            var flagErrors = matched
                .Where(e => e.Required != labelled[e.Name].Required || e.Secret != labelled[e.Name].Secret)
                .Select(e => $"{e.Name}(req {(e.Required ? "T" : "F")}/{(labelled[e.Name].Required ? "T" : "F")}, sec {(e.Secret ? "T" : "F")}/{(labelled[e.Name].Secret ? "T" : "F")})")
                .ToList();
            return new Row(packageMatch, runtimeMatch, precision, recall,
                matched.Count == 0 ? null : (double)required / matched.Count,
                matched.Count == 0 ? null : (double)secret / matched.Count,
                found.Count, labelled.Count,
                found.Where(e => !labelled.ContainsKey(e.Name)).Select(e => e.Name).ToList(),
                labelled.Keys.Where(n => found.All(e => e.Name != n)).ToList(),
                flagErrors);
        }
    }
}
