using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// What Linux says about a process in <c>/proc</c>: its CPU time, resident memory, children and listening port. CPU time is the
/// measure that a shared, loaded machine does not move: waiting for a core costs wall time, not CPU time.
/// </summary>
internal static class ProcStat
{
    /// <summary>User plus system time in seconds, or null when the process is gone.</summary>
    /// <remarks>Fields 14 and 15 of <c>/proc/PID/stat</c>, counted after the command in parentheses (which may hold spaces), in clock ticks of 100 a second.</remarks>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Bytes resident, or null when the process is gone.</summary>
    public static long? Resident(int pid) => Status(pid, "VmRSS:");

    /// <summary>The most bytes ever resident (the kernel's high-water mark), or null when the process is gone.</summary>
    public static long? PeakResident(int pid) => Status(pid, "VmHWM:");

    private static long? Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static IReadOnlyList<int> Children(int pid)
    {
        // Each thread lists only the children it started, and the service starts its workers from whichever thread
        // pool thread runs the start: the main thread's list alone was often empty, and a bench waited for ever.
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
                .SelectMany(task => ReadOrEmpty(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The port the process listens on at 127.0.0.1, or null while it listens on none (or is gone).</summary>
    /// <remarks>
    /// The listening socket is looked for among the process's own descriptors (<c>/proc/PID/fd</c>, links
    /// <c>socket:[INODE]</c>), then by its inode in <c>/proc/PID/net/tcp</c> (state 0A, listening): a port that
    /// another process holds is never taken for this one's.
    /// </remarks>
    public static int? ListeningPort(int pid)
    {
        try
        {
            var sockets = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget)
                .OfType<string>()
                .Where(target => target.StartsWith("socket:[", StringComparison.Ordinal))
                .Select(target => target[8..^1])
                .ToHashSet();
            foreach (var line in File.ReadLines($"/proc/{pid}/net/tcp").Skip(1))
            {
                // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...",
                // the address as hexadecimal IPv4 (127.0.0.1 is 0100007F) and port.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] == "0A" && fields[1].StartsWith("0100007F:", StringComparison.Ordinal) && sockets.Contains(fields[9]))
                {
                    return int.Parse(fields[1].AsSpan(9), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Gone, or a descriptor closed while the list was read: asked again by the caller.
        }

        return null;
    }

    /// <summary>Context switches (voluntary and not) summed over the process's threads now, and how many threads it has.</summary>
    /// <remarks>A thread that has ended takes its count with it: compare figures of a process whose threads live on.</remarks>
    public static (long Switches, int Threads) ContextSwitches(int pid)
    {
        var (switches, threads) = (0L, 0);
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                threads++;
                foreach (var line in ReadOrEmpty(Path.Combine(task, "status")).Split('\n'))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
                    }
                }
            }
        }
        catch (IOException)
        {
            // Gone.
        }

        return (switches, threads);
    }

    /// <summary>The load average over the last minute, as <c>uptime</c> shows it.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    // A thread that ends between listing and reading has no file any more.
    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
