using System.Text.Json;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// The version that last went live, kept in a small local file (<c>Storage:LastGoodVersionFile</c>), so that a
/// service restarted while the store's pointer names a broken version can serve the last good one.
/// </summary>
/// <remarks>
/// A local file and not a database row: the service must come up serving even while its database is down, and
/// the file is what this replica last ran, read before any dependency answers. It is written to a temporary name
/// and renamed, as the outbox's files are, so a crash leaves the old record or the new one. A file that cannot be
/// read or written costs only this fallback: the reason is logged and the service goes on.
/// </remarks>
public sealed partial class LastGoodVersionFile(string path, ILogger<LastGoodVersionFile> logger)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The recorded version, or null when there is none or it cannot be read.</summary>
    public string? Read()
    {
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            var version = JsonSerializer.Deserialize<Record>(File.ReadAllText(Path))?.Version;
            return version is not null && StoreLayout.IsValidVersion(version) ? version : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogUnreadable(logger, Path, ex.Message);
            return null;
        }
    }

    /// <summary>Records <paramref name="version"/> as the last good one.</summary>
    public void Write(string version, DateTimeOffset at)
    {
        if (Read() == version)
        {
            return;
        }

        var temporary = $"{Path}.{Guid.NewGuid():n}.tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, new Record(version, at));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnwritable(logger, Path, ex.Message);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private sealed record Record(string Version, DateTimeOffset LiveSince);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "The last good version file {Path} cannot be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "The last good version file {Path} cannot be written: {Reason}")]
    private static partial void LogUnwritable(ILogger logger, string path, string reason);
}
