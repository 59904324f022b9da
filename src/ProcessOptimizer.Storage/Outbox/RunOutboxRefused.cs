using System.Text.Json;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Outbox;

/// <summary>
/// Runs the database refuses for good (a key they repeat, a value or a size it cannot hold). Replayed in order, such a
/// run stayed first in the outbox across restarts and held every later run back, loop and answers alike. It is set
/// aside instead: moved to the folder's <see cref="RefusedFolderName"/> subfolder, kept whole for an operator, and
/// never replayed by itself.
/// </summary>
public sealed partial class RunOutbox
{
    /// <summary>The subfolder of the outbox that keeps the runs set aside.</summary>
    public const string RefusedFolderName = "refused";

    private int _refused;

    /// <summary>Runs set aside so far, counted from the subfolder at start; read without the gate, as <see cref="Waiting"/> is.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Moves the waiting run <paramref name="sequence"/> to the subfolder; it no longer counts as waiting.</summary>
    /// <returns>False when the folder cannot take it (a full disk, no permission): it stays where it was.</returns>
    public bool SetAside(long sequence, RunRecord run)
    {
        lock (_gate)
        {
            var target = Path.Combine(RefusedFolder, $"{sequence:D20}.json");
            try
            {
                Directory.CreateDirectory(RefusedFolder);
                if (!_held.ContainsKey(sequence))
                {
                    File.Move(PathOf(sequence), target);
                    _stored--;
                }
                else if (WriteFile(target + ".tmp", file => JsonSerializer.Serialize(file, run, Json), renameTo: target) is null)
                {
                    _held.Remove(sequence);
                    _heldCount = _held.Count;
                }
                else
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            _refused++;
            return true;
        }
    }

    private string RefusedFolder => Path.Combine(_folder, RefusedFolderName);

    private int CountRefused() => Directory.Exists(RefusedFolder) ? Directory.GetFiles(RefusedFolder, "*.json").Length : 0;
}
