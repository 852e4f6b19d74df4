using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Fails start-up when the local runtime runs new deployments but cannot sandbox them: bubblewrap is missing
/// and the operator has not chosen <c>CATWALK_LOCAL_SANDBOX=none</c>. With Fly active the local runtime starts
/// nothing new, so a missing bwrap only matters once it is asked to (see <see cref="ServerSandbox"/>).
/// </summary>
internal sealed class LocalSandboxOptionsValidator(IConfiguration configuration) : IValidateOptions<LocalSandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalSandboxOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == LocalSandboxMode.Bwrap && ServesNewDeployments() && ServerSandbox.Unavailable(options) is { } problem)
        {
            failures.Add(problem);
        }

        if (string.IsNullOrWhiteSpace(options.Directory) || !Path.IsPathFullyQualified(options.Directory))
        {
            failures.Add($"The sandbox directory must be absolute (it is 'sandboxes' under {Hosting.DataDirectory.Variable}).");
        }

        failures.AddRange(options.ReadOnlyPaths.Where(path => !Path.IsPathFullyQualified(path))
            .Select(path => $"{LocalSandboxOptions.ReadOnlyPathsVariable} holds '{path}': list absolute paths separated by ':'."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool ServesNewDeployments()
    {
        try
        {
            return MachineRuntimeSelection.From(configuration).Kind == RuntimeKind.Local;
        }
        catch (Hosting.ConfigurationException)
        {
            // A bad CATWALK_RUNTIME is reported by its own check.
            return false;
        }
    }
}
