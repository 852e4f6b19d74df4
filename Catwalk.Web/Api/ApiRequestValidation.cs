using Catwalk.Core.Analysis;
using Catwalk.Core.Deployments;
using Catwalk.Core.GitHub;
using Catwalk.Core.Packages;

namespace Catwalk.Web.Api;

/// <summary>
/// Turns API bodies into Core requests, collecting a message per field (the <c>errors</c> of a 400 problem) that
/// says what a valid value looks like. Core validates again; this adds what JSON can get wrong (missing fields,
/// unknown runtime, null values).
/// </summary>
internal static class ApiRequestValidation
{
    public static CreateDeploymentRequest? ToCreateRequest(string ownerId, CreateDeploymentBody body, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var runtime = PackageRuntimeJsonConverter.Parse(body.Runtime);
        if (runtime is null)
        {
            Add(errors, "runtime", string.IsNullOrWhiteSpace(body.Runtime)
                ? "Give the runtime: \"npm\" (run with npx) or \"pypi\" (run with uvx)."
                : $"Unknown runtime '{Shorten(body.Runtime)}': use \"npm\" (run with npx) or \"pypi\" (run with uvx).");
        }

        Add(errors, "name", DeploymentRequestValidator.ValidateName(body.Name));
        string? repoUrl = null;
        if (!string.IsNullOrWhiteSpace(body.RepoUrl))
        {
            if (GitHubRepoUrl.TryParse(body.RepoUrl, out var parsed, out var urlError))
            {
                repoUrl = parsed.Normalized;
            }
            else
            {
                Add(errors, "repoUrl", urlError);
            }
        }

        if (runtime is { } known)
        {
            Add(errors, "package", PackageNameRules.ValidatePackage(known, body.Package));
            Add(errors, "version", PackageNameRules.ValidateVersion(known, body.Version));
        }
        else if (string.IsNullOrWhiteSpace(body.Package))
        {
            Add(errors, "package", "Enter the package name.");
        }

        var environment = ToEnvironment(body.Env, errors);
        Add(errors, "args", ServerArgumentRules.Validate(body.Args));
        if (errors.Count > 0 || runtime is null || environment is null)
        {
            return null;
        }

        // Secrets in arguments become credentials here, before Core checks that every ${NAME} has one.
        var request = ArgumentCredentials.Apply(new CreateDeploymentRequest(ownerId, body.Name!, repoUrl, body.Package!.Trim(), runtime.Value,
            string.IsNullOrWhiteSpace(body.Version) ? null : body.Version.Trim(), environment)
        {
            Arguments = body.Args?.Select(a => a!).ToList() ?? [],
        });
        Add(errors, "args", ServerArgumentRules.ValidateReferences(request.Arguments, request.Environment.Keys));
        return errors.Count > 0 ? null : request;
    }

    /// <summary>The credentials of a body, or null with <c>errors["env"]</c> set.</summary>
    public static Dictionary<string, string>? ToEnvironment(Dictionary<string, string?>? env, Dictionary<string, string[]> errors)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var nulls = new List<string>();
        foreach (var (name, value) in env ?? [])
        {
            if (value is null)
            {
                nulls.Add(name);
            }
            else
            {
                environment[name] = value;
            }
        }

        var problems = new List<string>();
        if (nulls.Count > 0)
        {
            problems.Add($"Give a string value for {string.Join(", ", nulls.Select(n => $"'{Shorten(n)}'"))} (null is not a value; leave the variable out instead).");
        }

        if (DeploymentRequestValidator.ValidateEnvironment(environment) is { } envError)
        {
            problems.Add(envError);
        }

        if (problems.Count == 0)
        {
            return environment;
        }

        errors["env"] = [string.Join(" ", problems)];
        return null;
    }

    /// <summary>The repository URL of an analysis request, or null with <c>errors["repoUrl"]</c> set.</summary>
    public static string? ToRepoUrl(string? repoUrl, Dictionary<string, string[]> errors)
    {
        if (GitHubRepoUrl.TryParse(repoUrl, out var parsed, out var error))
        {
            return parsed.Normalized;
        }

        errors["repoUrl"] = [error];
        return null;
    }

    private static void Add(Dictionary<string, string[]> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors[field] = [message];
        }
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
