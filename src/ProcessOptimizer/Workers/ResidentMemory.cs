namespace ProcessOptimizer.Workers;

/// <summary>
/// A process's resident set size from <c>/proc/PID/statm</c>. Resident memory, not address space: .NET reserves
/// large address ranges up front, so an <c>RLIMIT_AS</c> cap would fail healthy workers.
/// </summary>
/// <remarks>
/// <c>statm</c>'s second field is the same count as <c>VmRSS</c> in <c>/proc/PID/status</c> (anonymous, file and shared
/// pages), in pages; the kernel writes it in one short line, where <c>status</c> formats some fifty, and it is read
/// once per poll interval of every solve.
/// </remarks>
internal static class ResidentMemory
{
    /// <returns>Bytes resident, or null when the process is gone.</returns>
    public static long? Of(int pid)
    {
        Span<byte> text = stackalloc byte[128];
        int length;
        try
        {
            using var file = File.OpenHandle($"/proc/{pid}/statm");
            length = RandomAccess.Read(file, text, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "size resident shared text lib data dt", in pages.
        var fields = text[..length];
        var first = fields.IndexOf((byte)' ');
        var rest = fields[(first + 1)..];
        var end = rest.IndexOf((byte)' ');
        return first > 0 && end > 0 && System.Buffers.Text.Utf8Parser.TryParse(rest[..end], out long pages, out var used) && used == end
            ? pages * Environment.SystemPageSize
            : throw new InvalidDataException($"/proc/{pid}/statm does not read as 'size resident ...': '{System.Text.Encoding.ASCII.GetString(fields)}'");
    }
}
