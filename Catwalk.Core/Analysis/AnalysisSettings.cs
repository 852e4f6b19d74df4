using System.Text.RegularExpressions;
using Catwalk.Core.Analysis.Llm;
using Catwalk.Core.GitHub;
using Catwalk.Core.Hosting;
using Catwalk.Core.Packages;
using Microsoft.Extensions.Configuration;

namespace Catwalk.Core.Analysis;

/// <summary>Binds the analysis feature's options from their environment variables, collecting errors that name each variable.</summary>
internal static partial class AnalysisSettings
{
    public static void Bind(IConfiguration configuration, GitHubOptions options)
    {
        options.BaseUrl = ReadUrl(configuration, GitHubOptions.BaseUrlVariable, options.BaseUrl, "https://api.github.com", options.ConfigurationErrors);
        options.Token = new SettingReader(configuration).Text(GitHubOptions.TokenVariable);
    }

    public static void Bind(IConfiguration configuration, PackageRegistryOptions options)
    {
        options.NpmRegistryUrl = ReadUrl(configuration, PackageRegistryOptions.NpmRegistryVariable, options.NpmRegistryUrl, "https://registry.npmjs.org", options.ConfigurationErrors);
        options.PypiBaseUrl = ReadUrl(configuration, PackageRegistryOptions.PypiBaseVariable, options.PypiBaseUrl, "https://pypi.org", options.ConfigurationErrors);
    }

    public static void Bind(IConfiguration configuration, OpenRouterOptions options)
    {
        options.ApiKey = new SettingReader(configuration).Text(OpenRouterOptions.ApiKeyVariable);
        options.BaseUrl = ReadUrl(configuration, OpenRouterOptions.BaseUrlVariable, options.BaseUrl, "https://openrouter.ai/api/v1", options.ConfigurationErrors);
        options.PublicUrl = ReadUrl(configuration, OpenRouterOptions.PublicUrlVariable, options.PublicUrl, "https://catwalk.example.com", options.ConfigurationErrors);
        if (new SettingReader(configuration).Text(OpenRouterOptions.ModelVariable) is { } model)
        {
            if (ModelId().IsMatch(model))
            {
                options.Model = model;
            }
            else
            {
                options.ConfigurationErrors.Add($"{OpenRouterOptions.ModelVariable} must be an OpenRouter model id such as anthropic/claude-haiku-4.5 (got '{model}').");
            }
        }
    }

    public static void Bind(IConfiguration configuration, AnalysisOptions options)
    {
        var settings = new SettingReader(configuration);
        options.CacheTtl = settings.Duration(AnalysisOptions.CacheTtlVariable, DurationUnit.Seconds, zeroAllowed: true) ?? options.CacheTtl;
        options.ConfigurationErrors.AddRange(settings.Errors);
    }

    private static Uri ReadUrl(IConfiguration configuration, string variable, Uri fallback, string example, List<string> errors)
    {
        var text = new SettingReader(configuration).Text(variable);
        if (text is null)
        {
            return fallback;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query))
        {
            return uri;
        }

        errors.Add($"{variable} must be an absolute http(s) URL such as {example} (got '{text}'). Fix it or unset it to use the default.");
        return fallback;
    }


    [GeneratedRegex(@"^[A-Za-z0-9._\-]+(?:/[A-Za-z0-9._\-:]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelId();
}
