using System.Globalization;
using System.Text.Json;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Tests.Cli;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>
/// The kiln example's history in a database of its own (optionally edited line by line first) and a copy of its store,
/// for running <c>backtest</c> through the command line and reading back what it stored.
/// </summary>
internal sealed class KilnBacktest : IDisposable
{
    private readonly TempFiles _files = new();

    public KilnBacktest(Func<string, string?>? editLine = null)
    {
        Lines = File.ReadAllLines(Path.Combine(TestServers.Kiln, "data", "kiln-history.csv"));
        var edited = Lines.Take(1).Concat(Lines.Skip(1).Select(l => editLine is null ? l : editLine(l)).OfType<string>());
        var csv = _files.Write("history.csv", string.Join('\n', edited) + "\n");
        Store = Path.Combine(_files.Root, "store");
        TestServers.CopyKilnStore(Store);
        var (code, _, error) = CliRunner.Run("import-data", "--csv", csv, Database);
        Assert.True(code == 0, error);
    }

    /// <summary>The history file's lines as they are, header first.</summary>
    public IReadOnlyList<string> Lines { get; }

    public string Store { get; }

    public string Out => Path.Combine(_files.Root, "out");

    public string ConnectionString => $"Data Source={Path.Combine(_files.Root, "history.db")};Pooling=False";

    private string Database => $"--Database:ConnectionString={ConnectionString}";

    public static DateTimeOffset At(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>Adds a version to the store: the 1.0.0 strategy with <paramref name="edit"/> applied to its text.</summary>
    public void AddVersion(string version, Func<string, string> edit)
    {
        var configs = Path.Combine(Store, "configs");
        var text = File.ReadAllText(Path.Combine(configs, "process-optimization-strategy-config-1.0.0.yaml"));
        var changed = edit(text);
        Assert.NotEqual(text, changed);
        File.WriteAllText(Path.Combine(configs, $"process-optimization-strategy-config-{version}.yaml"), changed);
    }

    /// <summary>Runs <c>backtest</c> with these arguments on this history and store.</summary>
    public (int Code, string Output, string Error) Run(int workers, params string[] args) => CliRunner.Run(Arguments(workers, args));

    /// <summary>
    /// The service's settings on this history and store, in API mode without the demo feed, with its outbox and last
    /// good version in this folder; then <paramref name="more"/>.
    /// </summary>
    public string[] ServiceArguments(int workers, params string[] more) =>
    [
        "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", $"--Solver:Workers={workers}",
        "--Storage:Kind=local", "--Storage:LocalRoot=" + Store, "--Storage:LastGoodVersionFile=" + Path.Combine(_files.Root, "last-good.json"),
        "--Database:Kind=sqlite", Database, "--Database:OutboxFolder=" + Path.Combine(_files.Root, "outbox"), .. more,
    ];

    /// <summary>The command line of <c>backtest</c> with these arguments on this history and store.</summary>
    public string[] Arguments(int workers, params string[] args) =>
        ["backtest", .. args, "--out", Out, Database, $"--Storage:LocalRoot={Store}", $"--Solver:Workers={workers}"];

    public JsonElement Summary() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "summary.json"))).RootElement.Clone();

    public async Task<IReadOnlyList<BacktestStep>> StepsAsync(long id)
    {
        var store = new SqlBacktestStore(ProcessDatabase.Create(DatabaseKind.Sqlite, ConnectionString));
        return await store.StepsAsync(id, null, 0, 100_000, CancellationToken.None);
    }

    /// <summary>The history's value of <paramref name="tag"/> at <paramref name="time"/>, from the file itself.</summary>
    public double Value(string tag, DateTimeOffset time)
    {
        var column = Array.IndexOf(Lines[0].Split(','), tag);
        var line = Lines.Skip(1).Single(l => At(l.Split(',')[0]) == time);
        return double.Parse(line.Split(',')[column], CultureInfo.InvariantCulture);
    }

    /// <summary>A window file for <c>optimize</c>: the history's last <paramref name="rows"/> lines at or before <paramref name="time"/>, verbatim.</summary>
    public string Window(DateTimeOffset time, int rows)
    {
        var lines = Lines.Skip(1).Where(l => At(l.Split(',')[0]) <= time).TakeLast(rows);
        return _files.Write($"window-{time:yyyyMMddHHmm}.csv", string.Join('\n', lines.Prepend(Lines[0])) + "\n");
    }

    public void Dispose() => _files.Dispose();
}
