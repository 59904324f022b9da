using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Outbox;

namespace ProcessOptimizer.Storage.Tests.Outbox;

/// <summary>
/// Issue 14 (N2 of the fourth fault round): with the outbox's disk full, runs were lost with a bare IOException,
/// zero-byte temporary files stayed for good, and nothing said so. A run the folder cannot take is refused with the
/// folder and the reason, or held in memory and written, in order, once there is space; no temporary file stays.
/// </summary>
public sealed class RunOutboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("po-outbox-test-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly FillingDisk _disk = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Add_DiskFullAndNotToBeHeld_RefusesNamingFolderByNameAndReasonAndLeavesNoFile()
    {
        var outbox = Open();
        _disk.IsFull = true;

        var refused = Assert.Throws<OutboxException>(() => outbox.Add(Run("a"), hold: false));

        Assert.Equal(1, _disk.FailedOpens);
        Assert.Contains("No space left on device", refused.Reason, StringComparison.Ordinal);
        // The message reaches API answers: the folder by its name, and no machine path (the device's quoted path included).
        Assert.Equal($"outbox folder '{Path.GetFileName(_folder)}'", refused.Outbox);
        Assert.DoesNotContain(_folder, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/dev/full", refused.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal(0, outbox.Pending);
        Assert.Equal(refused.Reason, outbox.Fault?.Reason);
        Assert.Equal(_clock.GetUtcNow(), outbox.Fault?.Since);
    }

    [Fact]
    public void Add_DiskFullThenFreed_HeldRunsGoToTheFolderFirstInTheOrderMade()
    {
        var outbox = Open();
        Assert.True(outbox.Add(Run("before"), hold: true));
        _disk.IsFull = true;

        Assert.False(outbox.Add(Run("held-1"), hold: true));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(outbox.Add(Run("held-2"), hold: true));

        Assert.Equal((1, 2), outbox.Waiting);
        Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromMinutes(1), outbox.Fault?.Since);
        Assert.Equal(["before", "held-1", "held-2"], outbox.Peek(10).Select(p => p.Run.Key));

        _disk.IsFull = false;
        Assert.True(outbox.Add(Run("after"), hold: true));

        Assert.Equal((4, 0), outbox.Waiting);
        Assert.Null(outbox.Fault);
        Assert.Equal(["before", "held-1", "held-2", "after"], Open().Peek(10).Select(p => p.Run.Key));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Retry_SpaceReturns_WritesHeldRunsOrClearsTheFaultWithNoneHeld()
    {
        var outbox = Open();
        _disk.IsFull = true;
        outbox.Add(Run("held"), hold: true);
        Assert.Throws<OutboxException>(() => outbox.Add(Run("answer"), hold: false));

        Assert.False(outbox.Retry());
        Assert.Equal((0, 1), outbox.Waiting);

        _disk.IsFull = false;
        Assert.True(outbox.Retry());
        Assert.Equal((1, 0), outbox.Waiting);
        Assert.Null(outbox.Fault);

        // A failure with nothing held: only a write can show that the folder is back.
        _disk.IsFull = true;
        Assert.Throws<OutboxException>(() => outbox.Add(Run("answer-2"), hold: false));
        Assert.NotNull(outbox.Fault);
        Assert.False(outbox.Retry());
        _disk.IsFull = false;
        Assert.True(outbox.Retry());
        Assert.Null(outbox.Fault);
        Assert.Equal(["held"], outbox.Peek(10).Select(p => p.Run.Key));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Remove_RunHeldAndRunInTheFolder_EachIsForgottenOnce()
    {
        var outbox = Open();
        outbox.Add(Run("on-disk"), hold: true);
        _disk.IsFull = true;
        outbox.Add(Run("held"), hold: true);
        var waiting = outbox.Peek(10);

        // The held run reaches the folder between the replay's look and its removal: it is removed from there.
        _disk.IsFull = false;
        outbox.Retry();
        foreach (var (sequence, _) in waiting)
        {
            outbox.Remove(sequence);
            outbox.Remove(sequence);
        }

        Assert.Equal((0, 0), outbox.Waiting);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Peek_AFileDeletedByHand_IsNoLongerCountedAsWaiting()
    {
        // An operator may delete a run the database will never take; it stayed counted in /health until a restart.
        var outbox = Open();
        outbox.Add(Run("deleted"), hold: false);
        outbox.Add(Run("kept"), hold: false);
        File.Delete(Directory.GetFiles(_folder, "*.json").Order(StringComparer.Ordinal).First());

        var waiting = outbox.Peek(10);

        Assert.Equal(["kept"], waiting.Select(p => p.Run.Key));
        Assert.Equal((1, 0), outbox.Waiting);
    }

    [Fact]
    public void Add_MemoryHoldsTheMost_RefusesTheNextRun()
    {
        var outbox = Open();
        _disk.IsFull = true;
        for (var i = 0; i < RunOutbox.MaxHeld; i++)
        {
            Assert.False(outbox.Add(Run($"held-{i}"), hold: true));
        }

        var refused = Assert.Throws<OutboxException>(() => outbox.Add(Run("one-too-many"), hold: true));
        Assert.Contains($"{RunOutbox.MaxHeld} runs are held in memory", refused.Message, StringComparison.Ordinal);
        Assert.Equal(RunOutbox.MaxHeld, outbox.Held);
    }

    [Fact]
    public void Open_TemporaryFilesOfACrash_AreDeletedAndRunsKept()
    {
        Open().Add(Run("kept"), hold: false);
        File.WriteAllText(Path.Combine(_folder, "00000000000000000002.json.tmp"), "{\"Key\":");
        File.WriteAllBytes(Path.Combine(_folder, "00000000000000000003.json.tmp"), []);

        var outbox = Open();

        Assert.Equal(["kept"], outbox.Peek(10).Select(p => p.Run.Key));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void NewestData_RunsThatConsumedDataInTheFolderOrHeld_NewestPerStrategyAlsoAfterReopening()
    {
        var outbox = Open();
        var minute = _clock.GetUtcNow();
        outbox.Add(Run("a", "kiln", minute), hold: true);
        _disk.IsFull = true;
        outbox.Add(Run("b", "kiln", minute.AddMinutes(1)), hold: true);
        outbox.Add(Run("c", "cooler", minute.AddMinutes(5)), hold: true);

        // A run that consumed nothing (an error, a skip) says nothing about the data.
        outbox.Add(Run("d", "kiln", minute.AddMinutes(9)) with { DataKey = null }, hold: true);

        Assert.Equal(minute.AddMinutes(1), outbox.NewestData("kiln"));
        Assert.Equal(minute.AddMinutes(5), outbox.NewestData("cooler"));
        Assert.Null(outbox.NewestData("other"));

        _disk.IsFull = false;
        outbox.Retry();
        Assert.Equal(minute.AddMinutes(1), Open().NewestData("kiln"));
    }

    [Fact]
    public void SetAside_RunFromTheFolderAndOneHeld_NeitherWaitsAnyMoreBothKeptWholeAndCountedAfterARestart()
    {
        var outbox = Open();
        Assert.True(outbox.Add(Run("refused"), hold: true));
        Assert.True(outbox.Add(Run("next"), hold: true));
        _disk.IsFull = true;
        Assert.False(outbox.Add(Run("held"), hold: true));
        var waiting = outbox.Peek(3);

        Assert.True(outbox.SetAside(waiting[0].Sequence, waiting[0].Run));
        // A held run needs the folder, which is still full: it stays held, where the replay finds it again.
        Assert.False(outbox.SetAside(waiting[2].Sequence, waiting[2].Run));
        Assert.Equal((1, 1), outbox.Waiting);
        _disk.IsFull = false;
        Assert.True(outbox.SetAside(waiting[2].Sequence, waiting[2].Run));

        Assert.Equal(["next"], outbox.Peek(3).Select(w => w.Run.Key));
        Assert.Equal(2, outbox.Refused);
        var kept = Directory.GetFiles(Path.Combine(_folder, RunOutbox.RefusedFolderName)).Order().ToList();
        Assert.Equal(2, kept.Count);
        Assert.Contains("\"refused\"", File.ReadAllText(kept[0]), StringComparison.Ordinal);
        Assert.Contains("\"held\"", File.ReadAllText(kept[1]), StringComparison.Ordinal);

        var reopened = Open();
        Assert.Equal(2, reopened.Refused);
        Assert.Equal(["next"], reopened.Peek(3).Select(w => w.Run.Key));
    }

    [Fact]
    public async Task Waiting_WhileAWriteIsStuckOnTheDisk_IsAnsweredAtOnce()
    {
        // /health and every request read the counts; a write holds the outbox while it flushes to a slow disk.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var outbox = new RunOutbox(_folder, _clock, path =>
        {
            entered.Set();
            release.Wait();
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        });
        var writing = Task.Run(() => outbox.Add(Run("slow"), hold: false));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the write never reached the disk");

        var counts = Task.Run(() => (outbox.Waiting, outbox.Refused));
        var answered = await Task.WhenAny(counts, Task.Delay(TimeSpan.FromSeconds(10))) == counts;
        release.Set();
        await writing;

        Assert.True(answered, "the counts waited for the write");
        Assert.Equal(((0, 0), 0), await counts);
        Assert.Equal((1, 0), outbox.Waiting);
    }

    private RunOutbox Open() => new(_folder, _clock, _disk.Create);

    [Fact]
    public void Add_NonFiniteValues_AreKeptAndReadBackToTheBitAfterARestart()
    {
        // JSON has no NaN or infinity: a run carrying one (a cost, a recommendation) made the outbox's serializer
        // throw, so the run was neither in the database nor in the outbox. A run the database may yet refuse
        // (SQLite takes no NaN) must still reach the outbox, to be set aside from there.
        var outbox = Open();
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, BitConverter.Int64BitsToDouble(-0L)];
        var run = Run("odd") with { Cost = double.NegativeInfinity, Recommendations = [.. values.Select((v, i) => new Recommendation($"v{i}", v, v, v, "t/h"))] };

        Assert.True(outbox.Add(run, hold: false));

        var read = Assert.Single(Open().Peek(10)).Run;
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.NegativeInfinity), BitConverter.DoubleToInt64Bits(read.Cost!.Value));
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), read.Recommendations.Select(r => BitConverter.DoubleToInt64Bits(r.Recommended)));
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), read.Recommendations.Select(r => BitConverter.DoubleToInt64Bits(r.Delta)));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    private RunRecord Run(string key, string strategy = "kiln", DateTimeOffset? data = null) => new()
    {
        Key = key,
        DataKey = data is null ? null : $"{strategy}|data|{data:O}",
        StrategyName = strategy,
        StrategyVersion = "1.0.0",
        DataTimestamp = data,
        StartedAt = _clock.GetUtcNow(),
        FinishedAt = _clock.GetUtcNow(),
        Outcome = RunOutcome.Success,
    };
}
