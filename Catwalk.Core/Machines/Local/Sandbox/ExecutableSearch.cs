namespace Catwalk.Core.Machines.Local;

/// <summary>Finds a program the way a shell would (each PATH directory in turn), without running a shell.</summary>
internal static class ExecutableSearch
{
    public static string? Find(string name)
    {
        var directories = (System.Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/bin");
        return directories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }
}
