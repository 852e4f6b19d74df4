using System.Security.Cryptography;

namespace Catwalk.Core.Machines;

/// <summary>
/// A machine's per-machine secret: random, known only to Catwalk's forwarder (which adds it to every request it sends
/// the machine) and to the machine's front (the local bridge, or mcp-proxy's API-key check on Fly), which refuses
/// <c>/mcp</c> without it. Another deployment's server can reach the machine's port but not use it.
/// </summary>
public static class MachineSecret
{
    /// <summary>The header the local bridge reads (Fly machines read <see cref="Fly.FlyMachineConfigs.MachineSecretHeader"/>);
    /// the forwarder replaces whatever a client sent under this name.</summary>
    public const string HeaderName = "Catwalk-Machine-Secret";

    /// <summary>256 random bits, URL-safe Base64 without padding (safe in a header and an environment variable).</summary>
    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Constant-time comparison, so timing tells nothing about how much of a guess was right.</summary>
    public static bool Matches(string expected, string? presented) =>
        presented is not null && ConstantTime.TextEquals(expected, presented);
}
