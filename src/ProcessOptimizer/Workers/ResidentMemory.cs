namespace ProcessOptimizer.Workers;

/// <summary>
/// A process's resident set size from <c>/proc/PID/status</c>. Resident memory, not address space: .NET reserves
/// large address ranges up front, so an <c>RLIMIT_AS</c> cap would fail healthy workers.
/// </summary>
internal static class ResidentMemory
{
    /// <returns>Bytes resident, or null when the process is gone.</returns>
    public static long? Of(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "VmRSS:	  123456 kB"
        var line = lines.FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
