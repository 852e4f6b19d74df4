using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Credentials;

/// <summary>
/// Development's stand-in for <c>ENCRYPTION_KEY</c>: a key generated once into the data directory (owner-only,
/// mode 600) and reused on later starts, so credentials saved in one run still decrypt in the next.
/// Logs where the file is, never what it holds.
/// </summary>
internal sealed partial class DevelopmentEncryptionKeyFile(ILogger<DevelopmentEncryptionKeyFile> logger)
{
    public const string FileName = "encryption.key";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <summary>The key file's contents (trimmed), creating the file with a new key first if there is none.</summary>
    public string LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            LogReusing(logger, path);
            return File.ReadAllText(path).Trim();
        }

        CreateDirectory(dataDirectory);
        var key = FernetKey.Generate().Export();
        // Written aside and moved in without overwriting, so a start racing this one never reads half a key
        // and both end up with the same key.
        var pending = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(pending, CreateOptions()))
            using (var writer = new StreamWriter(stream))
            {
                writer.WriteLine(key);
            }

            File.Move(pending, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(pending);
            LogReusing(logger, path);
            return File.ReadAllText(path).Trim();
        }

        LogGenerated(logger, path);
        return key;
    }

    private static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "ENCRYPTION_KEY is not set: generated a development encryption key in {KeyFile} (mode 600). Credentials saved now decrypt only with it; set ENCRYPTION_KEY outside Development.")]
    private static partial void LogGenerated(ILogger logger, string keyFile);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "ENCRYPTION_KEY is not set: using the development encryption key in {KeyFile}.")]
    private static partial void LogReusing(ILogger logger, string keyFile);
}
