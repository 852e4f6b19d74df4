namespace Catwalk.Tests.Analysis;

/// <summary>A throwaway folder of fake repositories (<c>owner/repo/...</c>) for the fake GitHub to serve.</summary>
internal sealed class TestRepositories : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "catwalk-repos-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Writes files (path → content) into owner/repo.</summary>
    public TestRepositories Add(string ownerAndRepo, IDictionary<string, string> files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(Root, ownerAndRepo, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return this;
    }

    /// <summary>Copies a corpus repository (owner/repo) in, so a test can change it.</summary>
    public TestRepositories CopyFromCorpus(string ownerAndRepo)
    {
        var source = Path.Combine(Corpus.Repositories, ownerAndRepo);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, ownerAndRepo, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
