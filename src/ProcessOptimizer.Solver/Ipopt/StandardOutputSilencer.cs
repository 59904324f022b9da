using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Points the process's file descriptor 1 at /dev/null while IPOPT is asked about options: IPOPT 3.11 prints
/// its complaints about unknown options to stdout whatever print_level says, and stdout carries the
/// command line's JSON. Used only around option checks, which take microseconds and happen at strategy load.
/// </summary>
internal sealed partial class StandardOutputSilencer : IDisposable
{
    private const int StandardOutput = 1;
    private const int WriteOnly = 1;
    private readonly int _saved;

    public StandardOutputSilencer()
    {
        Console.Out.Flush();
        Flush(nint.Zero);
        _saved = Dup(StandardOutput);
        var devNull = Open("/dev/null", WriteOnly);
        if (_saved < 0 || devNull < 0)
        {
            // Without the descriptors nothing is redirected; the check itself still works.
            _saved = -1;
            return;
        }

        Dup2(devNull, StandardOutput);
        Close(devNull);
    }

    public void Dispose()
    {
        if (_saved < 0)
        {
            return;
        }

        Flush(nint.Zero);
        Dup2(_saved, StandardOutput);
        Close(_saved);
    }

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fflush")]
    private static partial int Flush(nint stream);
}
