using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Linux's epoll, for the load client's one thread: a socket is registered once, and a wait returns only the sockets
/// that are ready, where <c>Socket.Select</c> hands the kernel every socket on every wait (at 32 clients, a third
/// of the client's CPU went to poll walking them).
/// </summary>
/// <remarks>The event record is the x86-64 kernel's packed one (12 bytes); other architectures are refused.</remarks>
internal sealed partial class Epoll : IDisposable
{
    public const uint Readable = 0x001;
    public const uint Writable = 0x004;
    private const int Add = 1;
    private const int Modify = 3;
    private const int CloseOnExec = 0x80000;

    private readonly int _fd;
    private readonly Event[] _ready;

    /// <exception cref="PlatformNotSupportedException">Not Linux on x86-64.</exception>
    /// <exception cref="IOException">The kernel refused an epoll instance.</exception>
    public Epoll(int capacity)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("the load client waits with Linux's epoll, laid out for x86-64");
        }

        _fd = epoll_create1(CloseOnExec);
        _ready = new Event[capacity];
        if (_fd < 0)
        {
            throw new IOException($"epoll_create1 failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Registers <paramref name="socket"/>, to be told as <paramref name="id"/> when one of <paramref name="events"/> holds.</summary>
    public void Watch(Socket socket, int id, uint events) => Control(Add, socket, id, events);

    public void Change(Socket socket, int id, uint events) => Control(Modify, socket, id, events);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for ready sockets, and writes their ids into <paramref name="ids"/>.</summary>
    /// <returns>How many are ready; 0 when the time ran out.</returns>
    public int Wait(Span<int> ids, int timeoutMs)
    {
        while (true)
        {
            var count = epoll_wait(_fd, _ready, Math.Min(_ready.Length, ids.Length), timeoutMs);
            if (count >= 0)
            {
                for (var i = 0; i < count; i++)
                {
                    ids[i] = (int)_ready[i].Data;
                }

                return count;
            }

            // EINTR: a signal (the runtime's own, or a debugger's) broke the wait; it is simply waited again.
            if (Marshal.GetLastPInvokeError() != 4)
            {
                throw new IOException($"epoll_wait failed with errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    public void Dispose() => _ = close(_fd);

    private void Control(int operation, Socket socket, int id, uint events)
    {
        var change = new Event { Events = events, Data = (ulong)id };
        if (epoll_ctl(_fd, operation, (int)socket.Handle, ref change) != 0)
        {
            throw new IOException($"epoll_ctl failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, ref Event change);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, [Out] Event[] events, int maxEvents, int timeoutMs);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    // struct epoll_event { uint32_t events; epoll_data_t data; } __attribute__((packed)) on x86-64.
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct Event
    {
        public uint Events;
        public ulong Data;
    }
}
