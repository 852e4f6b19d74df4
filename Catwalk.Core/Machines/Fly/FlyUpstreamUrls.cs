using System.Text.RegularExpressions;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// A machine's upstream base URL from <c>FLY_MACHINE_URL_TEMPLATE</c> (default: Fly's private 6PN name,
/// <c>http://{machineId}.vm.{appName}.internal:8080</c>). Always ends with '/', so <c>new Uri(base, "mcp")</c>
/// keeps any path the template has.
/// </summary>
public static partial class FlyUpstreamUrls
{
    public static string Resolve(string template, string machineId, string appName) =>
        template.Replace("{machineId}", machineId, StringComparison.Ordinal).Replace("{appName}", appName, StringComparison.Ordinal);

    public static Uri For(string template, string machineId, string appName)
    {
        // Machine ids are opaque hex strings: anything else must not be spliced into a URL.
        if (!MachineId().IsMatch(machineId))
        {
            throw new ArgumentException($"'{machineId}' is not a Fly machine id.", nameof(machineId));
        }

        var url = Resolve(template, machineId, appName);
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }

    public static bool IsMachineId(string? value) => value is not null && MachineId().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex MachineId();
}
