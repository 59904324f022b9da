using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Outbox;

/// <summary>
/// Runs that could not be stored yet, one JSON file each in a local folder, named by a sequence number so that
/// they are replayed in the order they were made. A file is written to a temporary name, flushed to disk and
/// renamed, so a crash leaves either the whole run or nothing; it is deleted only after the database has it.
/// When the folder cannot be written (a full disk), a run may be held in memory instead, up to
/// <see cref="MaxHeld"/>; held runs are newer than every file, and go to the folder, in order, before any new
/// run does, as soon as it can take them.
/// </summary>
/// <remarks>
/// Thread-safe. Files it did not write are swept when it opens and before each replay (<c>RunOutboxStrays.cs</c>). A temporary file
/// whose write failed is deleted at once, and any left by a crash are deleted when the outbox is opened: none was
/// renamed, so none was ever acknowledged.
/// </remarks>
public sealed partial class RunOutbox
{
    /// <summary>
    /// Runs held in memory at most while the folder cannot be written: about 16 hours of a one-minute loop, a few
    /// megabytes. Beyond it a run is refused loudly rather than memory growing until the process dies.
    /// </summary>
    public const int MaxHeld = 1000;

    // JSON has no NaN or infinity; as named literals, a run carrying one is kept (and read back to the bit) rather than
    // failing the serializer, with the run in neither the database nor the outbox. Files written before read the same.
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly string _folder;
    private readonly Func<string, FileStream> _create;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, RunRecord> _held = [];
    private readonly Dictionary<string, DateTimeOffset> _newestData = new(StringComparer.Ordinal);
    private long _sequence;
    private int _stored;
    private int _heldCount;
    private volatile OutboxFault? _fault;

    /// <param name="create">Opens a new file for writing; a test's seam for a disk that fills up. By default a plain file.</param>
    /// <param name="logger">Where files set aside or adopted are reported.</param>
    public RunOutbox(string folder, TimeProvider clock, Func<string, FileStream>? create = null, ILogger<RunOutbox>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(clock);
        _folder = Path.GetFullPath(folder);
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _create = create ?? (path => new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None));
        if (Directory.Exists(_folder))
        {
            foreach (var temporary in Directory.GetFiles(_folder, "*.tmp"))
            {
                File.Delete(temporary);
            }
        }

        _refused = CountRefused();
        var numbered = Files();
        _sequence = numbered.Count > 0 ? SequenceOf(numbered[^1])!.Value : 0;
        Sweep();
        var existing = Files();
        var (runs, dropped) = Read(existing, existing.Count);
        _stored = existing.Count - dropped;
        foreach (var (_, run) in runs)
        {
            Track(run);
        }
    }

    /// <summary>Runs waiting to be stored, in the folder and held in memory.</summary>
    public int Pending
    {
        get
        {
            var (onDisk, inMemory) = Waiting;
            return onDisk + inMemory;
        }
    }

    /// <summary>Runs held in memory because the folder could not take them; lost if the process ends.</summary>
    public int Held => Waiting.InMemory;

    /// <summary>Waiting runs in the folder and in memory.</summary>
    /// <remarks>
    /// Read without the gate, which a write holds while it flushes a file to disk: <c>/health</c> and every request
    /// read these counts and must not wait for a slow disk. A run moving from memory to the folder may be counted in
    /// both for that moment.
    /// </remarks>
    public (int OnDisk, int InMemory) Waiting => (Volatile.Read(ref _stored), Volatile.Read(ref _heldCount));

    public string Folder => _folder;

    /// <summary>The outbox as API answers and <c>/health</c> name it: its folder's name only, since a machine path has no place there.</summary>
    public string Description => $"outbox folder '{Path.GetFileName(_folder)}'";

    /// <summary>Why the folder cannot be written, until a write succeeds; else null.</summary>
    public OutboxFault? Fault => _fault;

    /// <summary>Keeps <paramref name="run"/>, which must carry a <see cref="RunRecord.Key"/>: in the folder, durably, or else held in memory when <paramref name="hold"/>.</summary>
    /// <returns>True when the run is in the folder; false when it is held in memory.</returns>
    /// <exception cref="OutboxException">The folder cannot take the run and it is not to be held, or memory is full: the run is not kept, and the caller must say so.</exception>
    public bool Add(RunRecord run, bool hold)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Key is null)
        {
            throw new ArgumentException("a run needs its key before it goes to the outbox", nameof(run));
        }

        lock (_gate)
        {
            var sequence = ++_sequence;

            // Held runs are older than this one: they go first, so that the folder's order stays the order made.
            var failure = WriteHeld() ?? Write(sequence, run);
            if (failure is null)
            {
                Track(run);
                return true;
            }

            if (!hold)
            {
                throw new OutboxException(Description, WithoutPaths(failure.Message), failure);
            }

            if (_held.Count >= MaxHeld)
            {
                throw new OutboxException(Description, $"{WithoutPaths(failure.Message)}; {MaxHeld} runs are held in memory already", failure);
            }

            _held.Add(sequence, run);
            _heldCount = _held.Count;
            Track(run);
            return false;
        }
    }

    /// <summary>
    /// Tries the folder again: writes the held runs to it, or, with none held, a small file that is deleted at once,
    /// so that <see cref="Fault"/> clears when the folder can be written again even while no run needs it.
    /// </summary>
    /// <returns>True when the folder could be written (or no fault was known).</returns>
    public bool Retry()
    {
        lock (_gate)
        {
            if (_held.Count > 0)
            {
                return WriteHeld() is null;
            }

            if (_fault is null)
            {
                return true;
            }

            var probe = Path.Combine(_folder, "write-check.tmp");
            var failure = WriteFile(probe, file => file.WriteByte(1));
            if (failure is null)
            {
                File.Delete(probe);
                _fault = null;
            }

            return failure is null;
        }
    }

    /// <summary>
    /// The newest data time of a waiting run of <paramref name="strategyName"/> that consumed data (it carries a
    /// <see cref="RunRecord.DataKey"/>); null when none did. With the database's own, it tells a cycle whether its data is new.
    /// </summary>
    /// <remarks>Not lowered when a run leaves the outbox: by then the database holds it.</remarks>
    public DateTimeOffset? NewestData(string strategyName)
    {
        lock (_gate)
        {
            return _newestData.TryGetValue(strategyName, out var at) ? at : null;
        }
    }

    /// <summary>The oldest waiting runs, in order (the folder's, then those held), each with the sequence that <see cref="Remove"/> takes.</summary>
    public IReadOnlyList<(long Sequence, RunRecord Run)> Peek(int count)
    {
        lock (_gate)
        {
            // Every write goes through the gate, so the listing is the count; it also forgets a file deleted by hand.
            Sweep();
            var files = Files();
            var (result, dropped) = Read(files, count);
            _stored = files.Count - dropped;
            result.AddRange(_held.Take(count - result.Count).Select(h => (h.Key, h.Value)));
            return result;
        }
    }

    /// <summary>Forgets a run once the database holds it, wherever it waits now.</summary>
    public void Remove(long sequence)
    {
        lock (_gate)
        {
            var path = PathOf(sequence);
            if (_held.Remove(sequence))
            {
                _heldCount = _held.Count;
                return;
            }

            if (File.Exists(path))
            {
                File.Delete(path);
                _stored--;
            }
        }
    }

    // Moves the held runs to the folder, oldest first, stopping at the first that fails. Caller holds the gate.
    private Exception? WriteHeld()
    {
        while (_held.Count > 0)
        {
            var (sequence, run) = _held.First();
            if (Write(sequence, run) is { } failure)
            {
                return failure;
            }

            _held.Remove(sequence);
            _heldCount = _held.Count;
        }

        return null;
    }

    // Caller holds the gate.
    private Exception? Write(long sequence, RunRecord run)
    {
        var path = PathOf(sequence);
        if (WriteFile(path + ".tmp", file => JsonSerializer.Serialize(file, run, Json), renameTo: path) is { } failure)
        {
            return failure;
        }

        _stored++;
        return null;
    }

    // Writes and flushes a new file, then renames it if asked, recording the outcome in the fault. A file whose
    // write failed is deleted at once: a temporary file is never a run, and on a full disk it holds space that
    // the next write needs.
    private IOException? WriteFile(string path, Action<FileStream> write, string? renameTo = null)
    {
        try
        {
            Directory.CreateDirectory(_folder);
            using (var file = _create(path))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            if (renameTo is not null)
            {
                File.Move(path, renameTo);
            }

            _fault = null;
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var failure = ex as IOException ?? new IOException(ex.Message, ex);
            var reason = WithoutPaths(ex.Message);
            try
            {
                File.Delete(path);
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                // What it costs is a stray file, which the next start deletes; the operator sees both reasons.
                reason = $"{reason} (its temporary file could not be deleted either: {WithoutPaths(gone.Message)})";
            }

            _fault = new OutboxFault(reason, _fault?.Since ?? _clock.GetUtcNow());
            return failure;
        }
    }

    // The file system's messages quote the file's absolute path ("No space left on device : '/srv/...'"); the reason
    // reaches API answers and /health, where a machine path has no place, so each quoted path keeps its file name only.
    private static string WithoutPaths(string message) =>
        QuotedPath().Replace(message, match => $"'{Path.GetFileName(match.Groups[1].Value)}'");

    [System.Text.RegularExpressions.GeneratedRegex("'(/[^']*)'")]
    private static partial System.Text.RegularExpressions.Regex QuotedPath();

    private void Track(RunRecord run)
    {
        if (run is { DataKey: not null, DataTimestamp: { } at } && (!_newestData.TryGetValue(run.StrategyName, out var newest) || at > newest))
        {
            _newestData[run.StrategyName] = at;
        }
    }

    private string PathOf(long sequence) => Path.Combine(_folder, $"{sequence:D20}.json");

    // The outbox's own files, in order; any other name is swept.
    private List<string> Files() => Directory.Exists(_folder)
        ? [.. Directory.GetFiles(_folder, "*.json").Select(p => (Path: p, Sequence: SequenceOf(p))).Where(f => f.Sequence is not null).OrderBy(f => f.Sequence).Select(f => f.Path)]
        : [];
}
