using Catwalk.Core.Packages;

namespace Catwalk.Core.Machines.Local;

/// <summary>The program and argument list that run a deployment's package; never a shell command line.</summary>
internal sealed record ServerCommandLine(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// <c>npx -y -- &lt;package&gt;[@&lt;version&gt;]</c>, or <c>uvx &lt;package&gt;</c> and, pinned,
    /// <c>uvx --from &lt;package&gt;==&lt;version&gt; &lt;package&gt;</c>, then the server's arguments with their
    /// <c>${NAME}</c> credential references filled in (here, at process start); after <see cref="Validate"/> accepted the spec.
    /// </summary>
    public static ServerCommandLine For(MachineSpec spec, LocalRuntimeOptions options)
    {
        Validate(spec);
        var packageSpec = PackageNameRules.ToPackageSpec(spec.Runtime, spec.Package, spec.Version);
        var serverArguments = ServerArgumentRules.Substitute(spec.Arguments, spec.Environment);
        return spec.Runtime switch
        {
            // "--" ends npx's own options: whatever follows is the package, never a flag.
            PackageRuntime.Npm => new ServerCommandLine(options.NpxCommand, ["-y", "--", packageSpec, .. serverArguments]),
            // uvx reads its first argument as a command name; a version comes as a requirement through --from.
            PackageRuntime.Pypi when string.IsNullOrEmpty(spec.Version) => new ServerCommandLine(options.UvxCommand, [spec.Package, .. serverArguments]),
            PackageRuntime.Pypi => new ServerCommandLine(options.UvxCommand, ["--from", packageSpec, spec.Package, .. serverArguments]),
            _ => throw new ArgumentException($"Unknown package runtime {spec.Runtime}.", nameof(spec)),
        };
    }

    /// <summary>
    /// Refuses, before any process starts, a package, version or credential name that does not follow npm's,
    /// PyPI's or the environment's naming rules.
    /// </summary>
    public static void Validate(MachineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Enum.IsDefined(spec.Runtime))
        {
            throw new ArgumentException($"Unknown package runtime {spec.Runtime}.", nameof(spec));
        }

        var problem = PackageNameRules.ValidatePackage(spec.Runtime, spec.Package)
            ?? PackageNameRules.ValidateVersion(spec.Runtime, spec.Version)
            // A leading dash would read as an option to npx or uvx; real package names never start with one.
            ?? (spec.Package.StartsWith('-') ? $"'{spec.Package}' is not a package name: it must not start with '-'." : null)
            ?? ServerArgumentRules.Validate(spec.Arguments)
            ?? ServerArgumentRules.ValidateReferences(spec.Arguments, spec.Environment.Keys);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(spec));
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (PackageNameRules.ValidateEnvironmentVariableName(name) is { } nameProblem)
            {
                throw new ArgumentException(nameProblem, nameof(spec));
            }

            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                // The value itself is a credential: name the variable only.
                throw new ArgumentException($"The value of {name} cannot be passed to a process (it is missing or contains a NUL character).", nameof(spec));
            }
        }
    }
}
