using System.Globalization;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// A CSV made line by line as it is read (header <c>timestamp,a,b</c>, a row a minute from <see cref="Start"/> unless told), with
/// something done before each line is handed out: a file too large to hold, read as slowly or paused where a test needs.
/// </summary>
internal sealed class GeneratedCsv(int rows, Action<int>? before = null, DateTimeOffset? start = null) : TextReader
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private int _next = -1;

    /// <summary>Rows handed out so far.</summary>
    public int RowsRead => Math.Max(0, _next);

    public override string? ReadLine()
    {
        if (_next < 0)
        {
            _next = 0;
            return "timestamp,a,b";
        }

        if (_next == rows)
        {
            before?.Invoke(rows);
            return null;
        }

        before?.Invoke(_next);
        var r = _next++;
        return string.Create(CultureInfo.InvariantCulture, $"{(start ?? Start).AddMinutes(r):O},{r},{0.5 * r}");
    }
}
