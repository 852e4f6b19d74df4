using System.Text.RegularExpressions;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Deployments;

/// <summary>Checks a deployment's name, package, version and credential names before anything is stored or run.</summary>
public static partial class DeploymentRequestValidator
{
    public static void ThrowIfInvalid(CreateDeploymentRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Add(errors, "name", ValidateName(request.Name));
        Add(errors, "package", PackageNameRules.ValidatePackage(request.Runtime, request.Package));
        Add(errors, "version", PackageNameRules.ValidateVersion(request.Runtime, request.Version));
        Add(errors, "env", ValidateEnvironment(request.Environment));
        Add(errors, "args", ServerArgumentRules.Validate(request.Arguments)
            ?? ServerArgumentRules.ValidateReferences(request.Arguments, request.Environment.Keys));
        if (errors.Count > 0)
        {
            throw new DeploymentValidationException(errors);
        }
    }

    public static string? ValidateName(string? name) =>
        !string.IsNullOrEmpty(name) && DeploymentName().IsMatch(name)
            ? null
            : "Name the deployment with 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (e.g. github-tools).";

    public static string? ValidateEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var problems = environment.Keys
            .Select(PackageNameRules.ValidateEnvironmentVariableName)
            .OfType<string>()
            .ToList();
        if (environment.Values.Any(v => v.Contains('\0', StringComparison.Ordinal)))
        {
            problems.Add("Environment variable values cannot contain NUL characters.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static void Add(Dictionary<string, string[]> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors[field] = [message];
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DeploymentName();
}
