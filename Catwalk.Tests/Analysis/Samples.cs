namespace Catwalk.Tests.Analysis;

/// <summary>
/// Real files from corpus repositories, copied into <c>Catwalk.Tests/Analysis/Samples/</c> so parser tests do not
/// depend on the shared folder. Found by walking up from the test assembly to the source tree.
/// </summary>
internal static class Samples
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Catwalk.Tests", "Analysis", "Samples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"Catwalk.Tests/Analysis/Samples was not found above {AppContext.BaseDirectory}.");
    });

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder.Value, name));
}
