using Tomlyn;
using Tomlyn.Model;

namespace Catwalk.Tests.Deploy;

/// <summary>A repository TOML file as Tomlyn's document model.</summary>
internal static class TomlFiles
{
    public static TomlTable Read(string relativePath) => TomlSerializer.Deserialize<TomlTable>(RepositoryFiles.Read(relativePath))!;
}
