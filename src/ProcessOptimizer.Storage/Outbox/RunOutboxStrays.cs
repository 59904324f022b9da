using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Outbox;

/// <summary>
/// Files in the folder that the outbox did not write there, or that no longer read as a run: an operator's copy of a
/// run, a file restored from a backup under another name, a truncated, empty or foreign file. Left in the queue, one
/// such file was replayed for ever (its removal looked for another name) or counted as waiting for good, so that
/// every later run went to the outbox with the database healthy; and a name that was not a number made the next run's
/// number overflow. A readable run under another name is queued under the next number (the database's unique run key
/// keeps a copy from being stored twice); anything else is set aside, whole, with the runs the database refused.
/// </summary>
public sealed partial class RunOutbox
{
    // Far beyond any number the outbox gives: a file named with a larger one was not its own.
    private const long LargestSequence = 999_999_999_999_999_999;

    // Unreadable files that could not be moved: reported once each, and not counted as waiting.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Files in the folder that are not a readable run and could not be set aside (a read-only folder, say); they do not count as waiting.</summary>
    public IReadOnlyList<string> Corrupt { get; private set; } = [];

    // The number of one of the outbox's own files (20 digits), or null for any other name.
    private static long? SequenceOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= LargestSequence ? n : null;
    }

    // Caller holds the gate.
    private void Sweep()
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        foreach (var path in Directory.GetFiles(_folder, "*.json").Where(p => SequenceOf(p) is null).Order(StringComparer.Ordinal))
        {
            var (run, reason) = TryRead(path);
            if (run is null)
            {
                if (reason is not null)
                {
                    SetAsideFile(path, reason);
                }

                continue;
            }

            var target = PathOf(++_sequence);
            try
            {
                File.Move(path, target);
                LogAdopted(_logger, Path.GetFileName(path), run.Key!, Path.GetFileName(target));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Report(path, $"a run under a name the outbox did not give it, which could not be renamed ({WithoutPaths(ex.Message)})");
            }
        }
    }

    // Reads up to count runs in order; files that are not a readable run are set aside. Caller holds the gate.
    private (List<(long, RunRecord)> Runs, int Dropped) Read(List<string> files, int count)
    {
        var result = new List<(long, RunRecord)>();
        var corrupt = new List<string>();
        var dropped = 0;
        foreach (var path in files)
        {
            if (result.Count == count)
            {
                break;
            }

            var (run, reason) = TryRead(path);
            if (run is not null)
            {
                result.Add((SequenceOf(path)!.Value, run));
                continue;
            }

            dropped++;
            if (reason is not null && !SetAsideFile(path, reason))
            {
                corrupt.Add(path);
            }
        }

        Corrupt = corrupt;
        return (result, dropped);
    }

    // The run in a file, or why there is none; neither when the file is gone (deleted by hand meanwhile).
    private static (RunRecord? Run, string? Reason) TryRead(string path)
    {
        try
        {
            var run = JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json);
            return run?.Key is null ? (null, run is null ? "it is empty" : "it has no run key") : (run, null);
        }
        catch (JsonException ex)
        {
            return (null, $"it is not a run's JSON: {ex.Message}");
        }
        catch (FileNotFoundException)
        {
            return (null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"it cannot be read: {WithoutPaths(ex.Message)}");
        }
    }

    // Moves a file to the refused folder under its own name, or a free one beside it. Caller holds the gate.
    private bool SetAsideFile(string path, string reason)
    {
        try
        {
            Directory.CreateDirectory(RefusedFolder);
            var name = Path.GetFileNameWithoutExtension(path);
            var target = Path.Combine(RefusedFolder, name + ".json");
            for (var n = 2; File.Exists(target); n++)
            {
                target = Path.Combine(RefusedFolder, $"{name}-{n}.json");
            }

            File.Move(path, target);
            _refused++;
            LogSetAsideFile(_logger, Path.GetFileName(path), reason, RefusedFolderName, Path.GetFileName(target));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Report(path, $"{reason}; it could not be moved to the {RefusedFolderName} folder either ({WithoutPaths(ex.Message)})");
            return false;
        }
    }

    private void Report(string path, string reason)
    {
        if (_reported.Add(path))
        {
            LogLeft(_logger, Path.GetFileName(path), reason);
        }
    }

    [LoggerMessage(EventId = 226, Level = LogLevel.Error, Message = "Outbox file {File} is not a run the outbox can replay ({Reason}): it is moved, whole, to the outbox's {Folder} folder as {Name}, and the runs after it are stored")]
    private static partial void LogSetAsideFile(ILogger logger, string file, string reason, string folder, string name);

    [LoggerMessage(EventId = 227, Level = LogLevel.Warning, Message = "Outbox file {File} holds run {Key} under a name the outbox did not give it: it is queued as {Name}, and stored unless the database holds that run already")]
    private static partial void LogAdopted(ILogger logger, string file, string key, string name);

    [LoggerMessage(EventId = 228, Level = LogLevel.Error, Message = "Outbox file {File} is left where it is and not counted as waiting: {Reason}")]
    private static partial void LogLeft(ILogger logger, string file, string reason);
}
