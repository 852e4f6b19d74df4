using Catwalk.Core.Analysis;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Moves secrets out of server arguments: <c>--api-key=sk-…</c> (or <c>--api-key sk-…</c>) becomes the credential
/// <c>API_KEY</c> and the argument <c>--api-key=${API_KEY}</c>, so the value is stored encrypted like every other
/// credential and only the machine puts it back, at process start.
/// </summary>
public static class ArgumentCredentials
{
    /// <summary>The request with secret-carrying arguments turned into credential references.</summary>
    public static CreateDeploymentRequest Apply(CreateDeploymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Arguments.Count == 0 || ServerArgumentRules.Validate(request.Arguments) is not null)
        {
            return request;
        }

        var (arguments, environment) = Extract(request.Arguments, request.Environment);
        return request with { Arguments = arguments, Environment = environment };
    }

    public static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment) Extract(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var env = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        return (ReferenceSecrets(arguments, (variable, value) => Store(env, variable, value)), env);
    }

    /// <summary>
    /// The arguments with each secret option's value (<c>--api-key=v</c>, <c>--api-key v</c>) replaced by a
    /// <c>${NAME}</c> reference to the credential <paramref name="credentialFor"/> names for it (given the variable
    /// the option suggests and the value); values that are already references stay.
    /// </summary>
    public static List<string> ReferenceSecrets(IReadOnlyList<string> arguments, Func<string, string, string> credentialFor)
    {
        ArgumentNullException.ThrowIfNull(credentialFor);
        var args = arguments.ToList();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith('-'))
            {
                continue;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var option = equals < 0 ? argument : argument[..equals];
            if (SecretOptionVariable(option) is not { } variable)
            {
                continue;
            }

            if (equals >= 0)
            {
                var value = argument[(equals + 1)..];
                if (value.Length > 0 && !value.Contains("${", StringComparison.Ordinal))
                {
                    args[i] = option + "=" + ServerArgumentRules.ReferenceTo(credentialFor(variable, value));
                }
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith('-') && args[i + 1].Length > 0 && !args[i + 1].Contains("${", StringComparison.Ordinal))
            {
                args[i + 1] = ServerArgumentRules.ReferenceTo(credentialFor(variable, args[i + 1]));
                i++;
            }
        }

        return args;
    }

    /// <summary>The variable a secret option's value goes into (<c>--api-key</c> → <c>API_KEY</c>), or null for other options.</summary>
    public static string? SecretOptionVariable(string option)
    {
        var name = option.TrimStart('-').Replace('-', '_').Replace('.', '_').ToUpperInvariant();
        return name.Length > 0 && PackageNameRules.ValidateEnvironmentVariableName(name) is null && EnvVarHeuristics.LooksSecret(name, null)
            ? name
            : null;
    }

    // A credential of the same name with another value keeps its value; the argument's gets a name of its own.
    private static string Store(Dictionary<string, string> env, string variable, string value)
    {
        var name = variable;
        for (var n = 2; env.TryGetValue(name, out var existing) && existing != value; n++)
        {
            name = $"{variable}_{n}";
        }

        env[name] = value;
        return name;
    }
}
