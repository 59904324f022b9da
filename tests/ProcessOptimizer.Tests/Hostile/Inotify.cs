using System.Runtime.InteropServices;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>The Linux inotify calls the file-system watch needs, and the event bits it asks for.</summary>
internal static partial class Inotify
{
    private const string Libc = "libc";

    public const uint Access = 0x1;
    public const uint Modify = 0x2;
    public const uint Attrib = 0x4;
    public const uint Open = 0x20;
    public const uint MovedFrom = 0x40;
    public const uint MovedTo = 0x80;
    public const uint Create = 0x100;
    public const uint Delete = 0x200;
    public const uint QueueOverflow = 0x4000;
    public const uint IsDirectory = 0x40000000;

    /// <summary>Reads: a file or folder opened, or its content read.</summary>
    public const uint Reads = Open | Access;

    /// <summary>Changes: content or attributes written, entries created, deleted or moved in or out.</summary>
    public const uint Changes = Modify | Attrib | Create | Delete | MovedFrom | MovedTo;

    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public const int WouldBlock = 11;

    [LibraryImport(Libc, EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int Init(int flags);

    [LibraryImport(Libc, EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddWatch(int fd, string path, uint mask);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
