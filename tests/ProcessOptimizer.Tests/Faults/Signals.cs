using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>Pauses and resumes processes (SIGSTOP/SIGCONT): a paused server accepts connections and never answers, as a hung one does.</summary>
internal static partial class Signals
{
    // Linux's number on x86-64 and ARM.
    private const int Stop = 19;

    public static void Pause(IEnumerable<int> pids) => Send("-STOP", pids);

    /// <summary>
    /// Pauses one process with a system call: in microseconds, where starting a <c>kill</c> process takes milliseconds
    /// (more on a loaded machine), for a thread that must not let the process run on meanwhile.
    /// </summary>
    public static void PauseNow(int pid)
    {
        if (SendSignal(pid, Stop) != 0)
        {
            throw new IOException($"SIGSTOP to process {pid} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static void Resume(IEnumerable<int> pids) => Send("-CONT", pids);

    public static void Kill(IEnumerable<int> pids) => Send("-KILL", pids);

    public static void Terminate(IEnumerable<int> pids) => Send("-TERM", pids);

    /// <summary>The process and its children, from /proc.</summary>
    public static IReadOnlyList<int> WithChildren(int pid)
    {
        var result = new List<int> { pid };
        foreach (var stat in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)).Select(d => Path.Combine(d, "stat")))
        {
            try
            {
                // "pid (name) state ppid ...": the name may hold spaces, so read after its closing parenthesis.
                var text = File.ReadAllText(stat);
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == pid)
                {
                    result.Add(int.Parse(Path.GetFileName(Path.GetDirectoryName(stat)!), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }

        return result;
    }

    /// <summary>
    /// Every solver worker of the service <paramref name="servicePid"/>, from the command lines in /proc: a worker
    /// names its parent's pid as its last argument, so one that outlived the service (and was given to init) is
    /// found too, as is one started after the test last looked.
    /// </summary>
    public static IReadOnlyList<int> WorkersOf(int servicePid)
    {
        var parent = servicePid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = new List<int>();
        foreach (var folder in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (arguments.Contains("solver-worker") && arguments[^1] == parent)
                {
                    result.Add(int.Parse(Path.GetFileName(folder), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }

        return result;
    }

    private static void Send(string signal, IEnumerable<int> pids)
    {
        var start = new ProcessStartInfo("kill") { RedirectStandardError = true };
        start.ArgumentList.Add(signal);
        foreach (var pid in pids)
        {
            start.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var kill = Process.Start(start)!;
        kill.WaitForExit();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
