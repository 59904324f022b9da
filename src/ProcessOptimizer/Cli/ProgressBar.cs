using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Backtests;

namespace ProcessOptimizer.Cli;

/// <summary>A one-line progress bar with the time left, redrawn in place on stderr at most a few times a second.</summary>
internal sealed class ProgressBar(TextWriter error) : IProgress<BacktestProgress>
{
    private const int Width = 30;
    private readonly Stopwatch _sinceDrawn = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private BacktestProgress? _last;

    public void Report(BacktestProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _last = value;
            if (_sinceDrawn.ElapsedMilliseconds >= 200 || value.Done == value.Total)
            {
                Draw(value);
                _sinceDrawn.Restart();
            }
        }
    }

    /// <summary>Draws the last state and ends the line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_last is { } last)
            {
                Draw(last);
            }

            error.WriteLine();
        }
    }

    private void Draw(BacktestProgress p)
    {
        var share = p.Total == 0 ? 1 : (double)p.Done / p.Total;
        var filled = (int)Math.Round(share * Width);
        var eta = p.Remaining is { } left ? $"ETA {Format(left)}" : "ETA --:--";
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {p.Done}/{p.Total} steps {share:P0}  {Format(p.Elapsed)} elapsed, {eta}  "));
        error.Flush();
    }

    private static string Format(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes:00}:{span.Seconds:00}");
}
