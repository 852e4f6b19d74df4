using System.Text.Json;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// The machine config Catwalk sends for a deployment: the MCP image, the package to run (validated here as well as
/// in the machine's entrypoint), the decrypted credentials, the guest size, Catwalk's metadata, restart on failure,
/// and a check on the image's health path.
/// </summary>
public static class FlyMachineConfigs
{
    public const int MachinePort = 8080;

    /// <summary>Variables the image reads; credentials may not override them.</summary>
    public static readonly IReadOnlySet<string> ReservedVariables =
        new HashSet<string>(StringComparer.Ordinal) { "MCP_PACKAGE", "MCP_RUNTIME", "MCP_PACKAGE_VERSION", "MCP_ARGS", "MCP_PORT", "DEPLOYMENT_ID", MachineSecretVariable };

    /// <summary>mcp-proxy reads every variable with this prefix as one of its options (<c>MCP_PROXY_SHELL</c>,
    /// <c>MCP_PROXY_TUNNEL</c>...): no credential may carry it.</summary>
    public const string ProxyOptionPrefix = "MCP_PROXY_";

    /// <summary>The machine's secret (<see cref="MachineSecret"/>): the machine refuses <c>/mcp</c> without it.</summary>
    public const string MachineSecretVariable = "CATWALK_MACHINE_SECRET";

    /// <summary>The header the image's mcp-proxy checks the secret in (its <c>--apiKey</c> option).</summary>
    public const string MachineSecretHeader = "X-API-Key";

    /// <summary>The image's health path: mcp-proxy answers <c>/ping</c> without the secret, and only once it is connected
    /// to the stdio server (it listens only after that).</summary>
    public const string HealthPath = "ping";

    public static FlyMachineConfig For(MachineSpec spec, FlyRuntimeOptions options, string revision, string? machineSecret = null)
    {
        if (PackageNameRules.ValidatePackage(spec.Runtime, spec.Package) is { } packageError)
        {
            throw new ArgumentException(packageError, nameof(spec));
        }

        if (spec.Package.StartsWith('-'))
        {
            // npm's pattern admits a leading dash; on a command line it would read as an option.
            throw new ArgumentException($"'{spec.Package}' cannot start with '-': it would be read as an option.", nameof(spec));
        }

        if (PackageNameRules.ValidateVersion(spec.Runtime, spec.Version) is { } versionError)
        {
            throw new ArgumentException(versionError, nameof(spec));
        }

        if ((ServerArgumentRules.Validate(spec.Arguments) ?? ServerArgumentRules.ValidateReferences(spec.Arguments, spec.Environment.Keys)) is { } argumentsError)
        {
            throw new ArgumentException(argumentsError, nameof(spec));
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in spec.Environment)
        {
            if (PackageNameRules.ValidateEnvironmentVariableName(name) is { } nameError)
            {
                throw new ArgumentException(nameError, nameof(spec));
            }

            if (ReservedVariables.Contains(name) || name.StartsWith(ProxyOptionPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is set by Catwalk on the machine and cannot be a credential.", nameof(spec));
            }

            env[name] = value;
        }

        env["MCP_PACKAGE"] = spec.Package;
        env["MCP_RUNTIME"] = spec.Runtime == PackageRuntime.Npm ? "npm" : "pypi";
        if (!string.IsNullOrEmpty(spec.Version))
        {
            env["MCP_PACKAGE_VERSION"] = spec.Version;
        }

        if (spec.Arguments.Count > 0)
        {
            // A JSON array, references unresolved: the entrypoint decodes it, fills in ${NAME} from the machine's env
            // and passes each element as one argv entry, never through a shell.
            env["MCP_ARGS"] = JsonSerializer.Serialize(spec.Arguments);
        }

        env["DEPLOYMENT_ID"] = spec.DeploymentId.ToString();
        if (machineSecret is not null)
        {
            env[MachineSecretVariable] = machineSecret;
        }

        return new FlyMachineConfig
        {
            Image = options.Image ?? throw new InvalidOperationException("FLY_MCP_IMAGE is not set."),
            Env = env,
            Guest = new FlyGuest(options.CpuKind, options.Cpus, options.MemoryMb),
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [FlyMachineNaming.DeploymentKey] = spec.DeploymentId.ToString(),
                [FlyMachineNaming.RevisionKey] = revision,
            },
            Restart = new FlyRestartPolicy("on-failure", MaxRetries: 3),
            Checks = new Dictionary<string, FlyMachineCheck>(StringComparer.Ordinal)
            {
                ["status"] = new()
                {
                    Type = "http",
                    Port = MachinePort,
                    Method = "GET",
                    Path = "/" + HealthPath,
                    Interval = "15s",
                    Timeout = "5s",
                    // npx/uvx download the server on first start.
                    GracePeriod = "60s",
                },
            },
            AutoDestroy = false,
        };
    }
}
