using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Outbox;

/// <summary>
/// Runs that could not be stored yet, one JSON file each in a local folder, named by a sequence number so that
/// they are replayed in the order they were made. A file is written to a temporary name, flushed to disk and
/// renamed, so a crash leaves either the whole run or nothing; it is deleted only after the database has it.
/// </summary>
/// <remarks>Thread-safe. Files that do not parse are left in place and named in <see cref="Corrupt"/>.</remarks>
public sealed class RunOutbox
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly string _folder;
    private readonly Lock _gate = new();
    private long _sequence;
    private int _pending;

    public RunOutbox(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _folder = Path.GetFullPath(folder);
        var existing = Directory.Exists(_folder) ? Files() : [];
        _pending = existing.Count;
        _sequence = existing.Count > 0 ? Sequence(existing[^1]) : 0;
    }

    /// <summary>Runs waiting to be stored.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public string Folder => _folder;

    /// <summary>Files in the folder that are not a readable run.</summary>
    public IReadOnlyList<string> Corrupt { get; private set; } = [];

    /// <summary>Writes <paramref name="run"/> durably; it must carry a <see cref="RunRecord.Key"/>.</summary>
    /// <exception cref="IOException">The folder cannot be written: the run is not kept, and the caller must say so.</exception>
    public void Add(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Key is null)
        {
            throw new ArgumentException("a run needs its key before it goes to the outbox", nameof(run));
        }

        Directory.CreateDirectory(_folder);
        lock (_gate)
        {
            var path = Path.Combine(_folder, $"{++_sequence:D20}.json");
            var temporary = path + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, run, Json);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
            _pending++;
        }
    }

    /// <summary>The oldest waiting runs, in order, each with the handle that <see cref="Remove"/> takes.</summary>
    public IReadOnlyList<(string Handle, RunRecord Run)> Peek(int count)
    {
        var result = new List<(string, RunRecord)>();
        var corrupt = new List<string>();
        foreach (var path in Files())
        {
            if (result.Count == count)
            {
                break;
            }

            try
            {
                result.Add((path, JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json) ?? throw new JsonException("empty file")));
            }
            catch (JsonException)
            {
                corrupt.Add(path);
            }
        }

        Corrupt = corrupt;
        return result;
    }

    /// <summary>Forgets a run once the database holds it.</summary>
    public void Remove(string handle)
    {
        lock (_gate)
        {
            if (File.Exists(handle))
            {
                File.Delete(handle);
                _pending--;
            }
        }
    }

    private List<string> Files() => Directory.Exists(_folder)
        ? [.. Directory.GetFiles(_folder, "*.json").OrderBy(Sequence)]
        : [];

    private static long Sequence(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
}
