using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Outbox;

namespace ProcessOptimizer.Storage.Tests.Outbox;

/// <summary>
/// Files in the outbox folder that the outbox did not write there: an operator's copy of a run, a file restored from
/// a backup under another name, a truncated, empty or foreign file. One such file made the outbox number new runs
/// from long.MinValue, replay a copy for ever (its removal looked for another name), and count an unreadable file as
/// waiting for good, so that every later run went to the outbox with the database healthy.
/// </summary>
public sealed class RunOutboxStrayFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("po-outbox-stray-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Open_WithAStrayFile_NumbersTheNextRunAfterTheLastRunAndSetsTheStrayAside()
    {
        new RunOutbox(_folder, _clock).Add(Run("first"), hold: false);
        File.WriteAllText(Path.Combine(_folder, "zz-junk.json"), "junk");

        var outbox = new RunOutbox(_folder, _clock);
        outbox.Add(Run("second"), hold: false);

        Assert.Equal(["00000000000000000001.json", "00000000000000000002.json"], Names(_folder));
        Assert.Equal(["zz-junk.json"], Names(Refused));
        Assert.Equal("junk", File.ReadAllText(Path.Combine(Refused, "zz-junk.json")));
        Assert.Equal(1, outbox.Refused);
        Assert.Equal((2, 0), outbox.Waiting);
    }

    [Fact]
    public void Peek_ACopyOfAWaitingRunUnderAnotherName_IsQueuedUnderANumberOfItsOwnAndRemovedLikeTheOthers()
    {
        var outbox = new RunOutbox(_folder, _clock);
        outbox.Add(Run("a"), hold: false);
        File.Copy(Path.Combine(_folder, "00000000000000000001.json"), Path.Combine(_folder, "00000000000000000001-copy.json"));

        var waiting = outbox.Peek(10);

        Assert.Equal([(1L, "a"), (2L, "a")], waiting.Select(w => (w.Sequence, w.Run.Key!)));
        foreach (var (sequence, _) in waiting)
        {
            outbox.Remove(sequence);
        }

        Assert.Equal((0, 0), outbox.Waiting);
        Assert.Empty(outbox.Peek(10));
        Assert.Empty(Names(_folder));
        Assert.Equal(0, outbox.Refused);

        // The next run is numbered after the adopted copy, never onto it.
        outbox.Add(Run("b"), hold: false);
        Assert.Equal(["00000000000000000003.json"], Names(_folder));
    }

    [Fact]
    public void Peek_UnreadableFiles_AreSetAsideWholeAndNoLongerWait()
    {
        var outbox = new RunOutbox(_folder, _clock);
        outbox.Add(Run("good"), hold: false);
        var whole = File.ReadAllText(Path.Combine(_folder, "00000000000000000001.json"));
        File.WriteAllText(Path.Combine(_folder, "00000000000000000002.json"), whole[..20]);
        File.WriteAllText(Path.Combine(_folder, "empty.json"), "");
        File.WriteAllText(Path.Combine(_folder, "00000000000000000003.json"), "{\"StrategyName\": \"kiln\"}");
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a run, and not looked at");

        var waiting = outbox.Peek(10);

        Assert.Equal(["good"], waiting.Select(w => w.Run.Key));
        Assert.Equal((1, 0), outbox.Waiting);
        Assert.Equal(3, outbox.Refused);
        Assert.Equal(["00000000000000000002.json", "00000000000000000003.json", "empty.json"], Names(Refused));
        Assert.Equal(whole[..20], File.ReadAllText(Path.Combine(Refused, "00000000000000000002.json")));
        Assert.True(File.Exists(Path.Combine(_folder, "notes.txt")));

        var reopened = new RunOutbox(_folder, _clock);
        Assert.Equal(3, reopened.Refused);
        Assert.Equal((1, 0), reopened.Waiting);
    }

    [Fact]
    public void SetAside_AStrayWhoseNameIsTakenInTheRefusedFolder_KeepsBothFiles()
    {
        Directory.CreateDirectory(Refused);
        File.WriteAllText(Path.Combine(Refused, "junk.json"), "earlier");
        File.WriteAllText(Path.Combine(_folder, "junk.json"), "later");

        var outbox = new RunOutbox(_folder, _clock);

        Assert.Equal(2, outbox.Refused);
        Assert.Equal(["earlier", "later"], Directory.GetFiles(Refused).Select(File.ReadAllText).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Open_ANumberedFileNearTheLargestNumber_IsAdoptedAndNewRunsStillCountUp()
    {
        var outbox = new RunOutbox(_folder, _clock);
        outbox.Add(Run("a"), hold: false);
        File.Move(Path.Combine(_folder, "00000000000000000001.json"), Path.Combine(_folder, $"{long.MaxValue:D20}.json"));

        var reopened = new RunOutbox(_folder, _clock);
        reopened.Add(Run("b"), hold: false);

        Assert.Equal([(1L, "a"), (2L, "b")], reopened.Peek(10).Select(w => (w.Sequence, w.Run.Key!)));
    }

    private string Refused => Path.Combine(_folder, RunOutbox.RefusedFolderName);

    private static List<string> Names(string folder) =>
        [.. Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Where(n => n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private RunRecord Run(string key) => new()
    {
        Key = key,
        StrategyName = "kiln",
        StrategyVersion = "1.0.0",
        StartedAt = _clock.GetUtcNow(),
        FinishedAt = _clock.GetUtcNow(),
        Outcome = RunOutcome.Success,
    };
}
