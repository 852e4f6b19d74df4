using Catwalk.Core.Packages;

namespace Catwalk.Core.Machines;

/// <summary>
/// What a runtime needs on this host to run each kind of package (registered keyed by its <see cref="RuntimeKind"/>;
/// a runtime without one, such as Fly whose image brings everything, can run every kind).
/// </summary>
public interface IRuntimePrerequisites
{
    /// <summary>The tools the runtime looks for, found or not, for the admin page and the start-up log.</summary>
    IReadOnlyList<RuntimeTool> Tools { get; }

    /// <summary>Why packages of <paramref name="runtime"/> cannot run here, with how to fix it; null when they can.</summary>
    string? WhyCannotRun(PackageRuntime runtime);
}

/// <summary>A host tool a runtime uses: what it is for, the command, where it was found (null: not found) and how to install it.</summary>
public sealed record RuntimeTool(string Purpose, string Command, string? FoundAt, string HowToInstall)
{
    public bool Found => FoundAt is not null;
}
