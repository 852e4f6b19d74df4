namespace Catwalk.Core.Machines.Local;

/// <summary>What actually runs for a server: the (wrapped) command line, the host directory it starts in, its whole environment.</summary>
internal sealed record SandboxedLaunch(ServerCommandLine CommandLine, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);
