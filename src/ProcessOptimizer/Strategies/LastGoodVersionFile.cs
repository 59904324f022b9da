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
/// read or written costs only this fallback: the service goes on, <see cref="Problem"/> says why for health,
/// and the reason is logged when it changes (the file is read at every round while nothing loads).
/// </remarks>
public sealed partial class LastGoodVersionFile(string path, ILogger<LastGoodVersionFile> logger)
{
    private volatile string? _problem;
    private string? _logged;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Why the recorded version could not serve when it was last needed: unreadable, or it did not load; else null.</summary>
    public string? Problem => _problem;

    /// <summary>The recorded version, or null when there is none or it cannot be read (<see cref="Problem"/> says why).</summary>
    public string? Read()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Report("is a directory, not a file");
                return null;
            }

            if (!File.Exists(Path))
            {
                Report(null);
                return null;
            }

            var version = JsonSerializer.Deserialize<Record>(File.ReadAllText(Path))?.Version;
            if (version is null || !StoreLayout.IsValidVersion(version))
            {
                Report($"cannot be read: it names no valid version ('{version}')");
                return null;
            }

            Report(null);
            return version;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            Report($"cannot be read: {ex.Message}");
            return null;
        }
    }

    /// <summary>The recorded version was read but does not load either.</summary>
    public void Failed(string version, string reason) => Report($"names version {version}, which does not load either: {reason}");

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
            Report(null);
            _logged = null;
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

    // Health shows the problem as it is now. The log has a line when a new one appears, not one per read: a file
    // naming a version that does not load reads well and then fails, at every round.
    private void Report(string? problem)
    {
        var text = problem is null ? null : $"the last good version file {Path} {problem}";
        _problem = text;
        if (text is not null && Interlocked.Exchange(ref _logged, text) != text)
        {
            LogUnusable(logger, text);
        }
    }

    private sealed record Record(string Version, DateTimeOffset LiveSince);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "No fallback to the last good version: {Problem}")]
    private static partial void LogUnusable(ILogger logger, string problem);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "The last good version file {Path} cannot be written: {Reason}")]
    private static partial void LogUnwritable(ILogger logger, string path, string reason);
}
