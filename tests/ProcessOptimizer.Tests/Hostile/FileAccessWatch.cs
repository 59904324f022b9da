using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// Records, through Linux inotify, every file-system event in the folders it watches, from any process: this
/// one and its solver workers alike. The kernel queues an event when the call happens, so once a request has
/// been answered, everything it did to a watched folder is in the queue.
/// </summary>
/// <remarks>
/// inotify reports only what succeeded: an attempt to open a file that does not exist leaves no event, which
/// is why the hostile requests point at canaries that exist. A watch covers one folder and its entries, not
/// sub-folders; <see cref="WatchTree"/> adds one per folder.
/// </remarks>
public sealed class FileAccessWatch : IDisposable
{
    private readonly int _fd;
    private readonly Dictionary<int, string> _folders = [];
    private readonly List<FileEvent> _events = [];

    public FileAccessWatch()
    {
        _fd = Inotify.Init(Inotify.NonBlocking | Inotify.CloseOnExec);
        if (_fd < 0)
        {
            throw new IOException($"inotify_init1 failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Watches <paramref name="path"/> (a folder and its entries, or one file) for <paramref name="mask"/>.</summary>
    public FileAccessWatch Watch(string path, uint mask)
    {
        var wd = Inotify.AddWatch(_fd, path, mask);
        if (wd < 0)
        {
            throw new IOException($"inotify_add_watch({path}) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        _folders[wd] = path;
        return this;
    }

    /// <summary>Watches <paramref name="root"/> and every folder under it.</summary>
    public FileAccessWatch WatchTree(string root, uint mask)
    {
        // Listed before any watch is added: the listing itself would be seen as reads.
        foreach (var folder in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).Prepend(root))
        {
            Watch(folder, mask);
        }

        return this;
    }

    /// <summary>Every event so far, oldest first.</summary>
    /// <exception cref="IOException">The kernel's queue overflowed, so events were lost.</exception>
    public IReadOnlyList<FileEvent> Events()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            nint read;
            unsafe
            {
                fixed (byte* start = buffer)
                {
                    read = Inotify.Read(_fd, start, (nuint)buffer.Length);
                }
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == Inotify.WouldBlock ? _events : throw new IOException($"reading inotify events failed with errno {errno}");
            }

            Parse(buffer.AsSpan(0, (int)read));
        }
    }

    public void Dispose() => Inotify.Close(_fd);

    // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }, NUL-padded.
    private void Parse(ReadOnlySpan<byte> data)
    {
        while (data.Length >= 16)
        {
            var wd = BinaryPrimitives.ReadInt32LittleEndian(data);
            var mask = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
            if ((mask & Inotify.QueueOverflow) != 0)
            {
                throw new IOException("the inotify queue overflowed: events were lost");
            }

            var name = Encoding.UTF8.GetString(data.Slice(16, length)).TrimEnd('\0');
            if (_folders.TryGetValue(wd, out var folder))
            {
                _events.Add(new FileEvent(name.Length == 0 ? folder : Path.Combine(folder, name), mask));
            }

            data = data[(16 + length)..];
        }
    }
}
