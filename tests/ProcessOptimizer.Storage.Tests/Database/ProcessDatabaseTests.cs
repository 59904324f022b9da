using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>One suite, run against SQLite and against a real PostgreSQL.</summary>
public abstract class ProcessDatabaseTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Rows one minute apart from <see cref="Start"/>; tag a is r, tag b is 2r.</summary>
    protected static CsvTable Csv(int rows, Func<int, string>? line = null)
    {
        var text = new StringBuilder("timestamp,a,b\n");
        for (var r = 0; r < rows; r++)
        {
            text.Append(line?.Invoke(r) ?? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}")).Append('\n');
        }

        return CsvTable.Read(new StringReader(text.ToString()), "test.csv");
    }

    protected Task ImportAsync(CsvTable table) => new ProcessDataImporter(Database).ImportAsync(table, CancellationToken.None);

    [Fact]
    public async Task ReadWindow_ReturnsNewestRowsUpToTheCycleTimeOldestFirst()
    {
        await ImportAsync(Csv(200));

        var rows = await new SqlProcessDataSource(Database).ReadWindowAsync(["b"], 50, Start.AddMinutes(120).AddSeconds(30), CancellationToken.None);

        Assert.Equal(50, rows.Count);
        Assert.Equal(Start.AddMinutes(71), rows[0].Timestamp);
        Assert.Equal(Start.AddMinutes(120), rows[^1].Timestamp);
        Assert.Equal(240, rows[^1].Values["b"]);
        Assert.Equal(["b"], rows[^1].Values.Keys);
    }

    [Fact]
    public async Task ReadWindow_WindowsHeldAtOnce_EachKeepsItsOwnRowsAndAGivenBackOneIsRefilled()
    {
        // Issue 19: windows and connections are kept per list of tags and filled again; two cycles reading at once
        // must never see each other's rows, and a window given back must come back with the new read's rows only.
        await ImportAsync(Csv(200));
        var source = new SqlProcessDataSource(Database);

        var first = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(100), CancellationToken.None);
        var second = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(150), CancellationToken.None);
        Assert.NotSame(first, second);
        Assert.Equal(100, first[^1].Values["a"]);
        Assert.Equal(150, second[^1].Values["a"]);
        Assert.Equal(Start.AddMinutes(71), first[0].Timestamp);
        second.Dispose();
        first.Dispose();

        // Fewer rows than asked (the history's start), then a full window again from a window given back.
        var short_ = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(4), CancellationToken.None);
        Assert.Equal(5, short_.Count);
        Assert.Equal([0.0, 1, 2, 3, 4], short_.Column(short_.TagIndex("a")));
        short_.Dispose();
        var again = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(60), CancellationToken.None);
        Assert.Equal(30, again.Count);
        Assert.Equal(Enumerable.Range(31, 30).Select(r => 2.0 * r), again.Column(again.TagIndex("b")));
        Assert.Equal(Start.AddMinutes(31), again.Timestamp(0));
        Assert.Equal(Start.AddMinutes(60), again.Timestamp(29));
    }

    [Fact]
    public async Task ReadWindow_MissingColumn_IsAConfigurationErrorNamingIt()
    {
        await ImportAsync(Csv(5));

        var error = await Assert.ThrowsAsync<DataSourceException>(() =>
            new SqlProcessDataSource(Database).ReadWindowAsync(["a", "Kiln_Coal_PV"], 5, Start.AddHours(1), CancellationToken.None).AsTask());

        Assert.Equal(["Kiln_Coal_PV"], error.MissingColumns);
        Assert.False(error.IsTransient);
        Assert.Contains("process_data has no column for Kiln_Coal_PV", error.Message);
    }

    [Fact]
    public async Task Guards_NameEachBadCondition()
    {
        await ImportAsync(Csv(10, r => r == 9
            ? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},,{2 * r}")
            : string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}")));
        var rows = await new SqlProcessDataSource(Database).ReadWindowAsync(["a", "b"], 10, Start.AddMinutes(30), CancellationToken.None);
        var newest = Start.AddMinutes(9);

        Assert.Equal(RunOutcome.SkippedBadData, DataGuard.Check(rows, ["a", "b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), null)!.Value.Outcome);
        Assert.Contains("no valid value for a", DataGuard.Check(rows, ["a", "b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), null)!.Value.Message);
        Assert.Equal(RunOutcome.SkippedStale, DataGuard.Check(rows, ["b"], newest.AddMinutes(11), TimeSpan.FromMinutes(10), null)!.Value.Outcome);
        Assert.Equal(RunOutcome.SkippedNoNewData, DataGuard.Check(rows, ["b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), newest)!.Value.Outcome);
        Assert.Null(DataGuard.Check(rows, ["b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), newest.AddMinutes(-1)));
    }

    [Fact]
    public async Task Import_TenThousandRows_IsIdempotentAndCreatesColumns()
    {
        var table = Csv(10_000);
        var (rows, added) = await new ProcessDataImporter(Database).ImportAsync(table, CancellationToken.None);
        await ImportAsync(table);

        Assert.Equal(10_000, rows);
        Assert.Equal(["a", "b"], added);
        var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 20_000, Start.AddDays(30), CancellationToken.None);
        Assert.Equal(10_000, window.Count);
        Assert.Equal(9_999, window[^1].Values["a"]);
    }

    [Fact]
    public async Task Import_MalformedRow_FailsWithLineAndImportsNothing()
    {
        var error = Assert.Throws<InputException>(() => Csv(10_000, r => r == 7_000
            ? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},oops,1")
            : string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}")));

        Assert.Equal("test.csv: line 7002: column 'a': 'oops' is not a number", error.Message);
        var columns = await new SqlProcessDataSource(Database).ReadWindowAsync([], 10, Start.AddDays(30), CancellationToken.None);
        Assert.Empty(columns);
    }

    [Fact]
    public async Task Runs_ArePersistedWithRecommendations_AndQueried()
    {
        var first = Run(Start.AddMinutes(5), RunOutcome.Success, 3);
        var second = Run(Start.AddMinutes(10), RunOutcome.Infeasible, 2);
        var store = new SqlRunStore(Database);
        var firstId = (await store.SaveAsync(first, CancellationToken.None)).Id;
        var secondId = (await store.SaveAsync(second, CancellationToken.None)).Id;

        var latest = await store.LatestAsync("kiln", CancellationToken.None);
        Assert.NotNull(latest);
        Assert.Equal(secondId, latest.Id);
        Assert.Equal(RunOutcome.Infeasible, latest.Outcome);
        Assert.Equal(2, latest.Recommendations.Count);
        Assert.Equal("etag-1", latest.ModelVersions["models/m.onnx"]);
        var one = await store.GetAsync(firstId, CancellationToken.None);
        Assert.Equal(first.Recommendations, one!.Recommendations);
        Assert.Equal(first.Cost, one.Cost);
        Assert.Equal(first.DataTimestamp, one.DataTimestamp);
        var range = await store.RangeAsync(Start, Start.AddHours(1), 10, null, CancellationToken.None);
        Assert.Equal([secondId, firstId], range.Select(r => r.Id));
    }

    [Fact]
    public async Task Runs_MessageItemsWithTheSeparatorInThem_AreReadBackOneByOne()
    {
        // A warning may itself contain "; " (a constraint's name, an error's text): the items are kept apart.
        var store = new SqlRunStore(Database);
        var id = (await store.SaveAsync(Run(Start.AddMinutes(5), RunOutcome.Success, 1).Saying(["band of t1; t2 is narrow", "second"]), CancellationToken.None)).Id;
        var legacy = (await store.SaveAsync(Run(Start.AddMinutes(6), RunOutcome.Success, 1), CancellationToken.None)).Id;

        var stored = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal(["band of t1; t2 is narrow", "second"], stored!.MessageItems);
        Assert.Equal("band of t1; t2 is narrow; second", stored.Message);
        Assert.Null((await store.GetAsync(legacy, CancellationToken.None))!.MessageItems);
    }

    [Fact]
    public async Task Runs_TwoRecommendationsOfOneKey_AreRefusedAsDataTheDatabaseWillNeverTake()
    {
        // Once the NUL is U+FFFD, "z\0" and "z\uFFFD" are one variable twice: the outbox must set such a run aside,
        // and it can tell it only by this flag, never raised for a database that is down or read-only.
        var store = new SqlRunStore(Database);
        var run = Run(Start.AddMinutes(5), RunOutcome.Success, 0) with
        {
            Recommendations = [new Recommendation("z\0", 2, 2.5, 0.5, ""), new Recommendation("z\uFFFD", 2, 2.5, 0.5, "")],
        };

        var refused = await Assert.ThrowsAsync<DatabaseException>(() => store.SaveAsync(run, CancellationToken.None));

        Assert.True(refused.RefusesTheData, refused.Message);
        Assert.False(refused.IsTransient, refused.Message);
        Assert.Null(await store.LatestAsync(run.StrategyName, CancellationToken.None));
    }

    [Fact]
    public async Task Runs_TextWithANulCharacter_IsStoredWithAReplacementCharacterOnBothDatabases()
    {
        // Issue 14: an inline strategy named a variable and its units with a NUL; PostgreSQL refused the run (22021),
        // which stayed first in the outbox and held every later run. The run is stored, NUL shown as U+FFFD.
        var store = new SqlRunStore(Database);
        var run = Run(Start.AddMinutes(5), RunOutcome.Success, 0).Saying(["x\0 is new", "second"]) with
        {
            StrategyName = "ki\0ln",
            Recommendations = [new Recommendation("x\0", 2, 2.5, 0.5, "t\0h")],
        };

        var id = (await store.SaveAsync(run, CancellationToken.None)).Id;

        var stored = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal("ki\uFFFDln", stored!.StrategyName);
        Assert.Equal("x\uFFFD is new; second", stored.Message);
        // The items are kept as JSON text, where a NUL is written as an escape, so they come back as they were.
        Assert.Equal(["x\0 is new", "second"], stored.MessageItems);
        Assert.Equal(new Recommendation("x\uFFFD", 2, 2.5, 0.5, "t\uFFFDh"), Assert.Single(stored.Recommendations));
        Assert.Equal(id, (await store.LatestAsync("ki\0ln", CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task LastRunTimestamp_SurvivesARestartOfTheDataLayer()
    {
        var store = new SqlRunStore(Database);
        await store.SaveAsync(Run(Start.AddMinutes(5), RunOutcome.Success, 1), CancellationToken.None);
        await store.SaveAsync(Run(Start.AddMinutes(9), RunOutcome.SkippedStale, 0), CancellationToken.None);

        var reopened = new SqlRunStore(Reopen());
        await Reopen().MigrateAsync(CancellationToken.None);

        Assert.Equal(Start.AddMinutes(5), await reopened.LastRunTimestampAsync("kiln", CancellationToken.None));
        Assert.Null(await reopened.LastRunTimestampAsync("other", CancellationToken.None));
    }

    [Fact]
    public async Task LastRunTimestamp_AfterAnErrorOnNewerData_IsTheLastMinuteSolvedOrSkippedForItsData()
    {
        // Issue 14: a cycle that failed on a minute did not solve it, so the next cycle on that minute must not
        // take it for consumed ("no new data"); a minute skipped for bad data is consumed.
        var store = new SqlRunStore(Database);
        await store.SaveAsync(Run(Start.AddMinutes(5), RunOutcome.Success, 1), CancellationToken.None);
        await store.SaveAsync(Run(Start.AddMinutes(6), RunOutcome.Error, 0), CancellationToken.None);

        Assert.Equal(Start.AddMinutes(5), await store.LastRunTimestampAsync("kiln", CancellationToken.None));

        await store.SaveAsync(Run(Start.AddMinutes(6), RunOutcome.Success, 1), CancellationToken.None);
        await store.SaveAsync(Run(Start.AddMinutes(7), RunOutcome.SkippedBadData, 0), CancellationToken.None);
        Assert.Equal(Start.AddMinutes(7), await store.LastRunTimestampAsync("kiln", CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_SchemaFromBeforeTheDataKey_AddsTheColumnAndItsUniqueIndexAndKeepsTheRuns()
    {
        // Migration makes only what is missing (issue 14: a schema already current needs no schema change at all).
        var store = new SqlRunStore(Database);
        var kept = await store.SaveAsync(Run(Start, RunOutcome.Success, 2), CancellationToken.None);
        await Database.RunAsync("roll the schema back", async (connection, transaction, ct) =>
        {
            await ProcessDatabase.ExecuteAsync(connection, transaction, "DROP INDEX optimization_runs_data_key", ct);
            await ProcessDatabase.ExecuteAsync(connection, transaction, "ALTER TABLE optimization_runs DROP COLUMN data_key", ct);
        }, CancellationToken.None);

        var reopened = Reopen();
        await reopened.MigrateAsync(CancellationToken.None);

        var migrated = new SqlRunStore(reopened);
        var first = await migrated.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 1) with { DataKey = "kiln|data|1" }, CancellationToken.None);
        var again = await migrated.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 1) with { DataKey = "kiln|data|1" }, CancellationToken.None);
        Assert.Equal(new RunSave(first.Id, true), again);
        Assert.Equal(2, (await migrated.GetAsync(kept.Id, CancellationToken.None))!.Recommendations.Count);
        Assert.True(reopened.IsMigrated);
        Assert.Null(reopened.SchemaError);
    }

    [Fact]
    public async Task SaveRun_TwoWritersAtOnce_BothSucceed()
    {
        var store = new SqlRunStore(Database);
        var other = new SqlRunStore(Reopen());

        var ids = await Task.WhenAll(
            Task.Run(() => store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 200), CancellationToken.None)),
            Task.Run(() => other.SaveAsync(Run(Start.AddMinutes(2), RunOutcome.Success, 200), CancellationToken.None)));

        Assert.NotEqual(ids[0].Id, ids[1].Id);
        Assert.All(ids, saved => Assert.Equal(200, store.GetAsync(saved.Id, CancellationToken.None).Result!.Recommendations.Count));
    }

    [Fact]
    public async Task SaveRun_SameSlotOrSameDataAgain_StoresNothingAndNamesTheStoredRun()
    {
        // Issue 16: a retried firing repeats the slot key; a replica taken for dead repeats the data key.
        var store = new SqlRunStore(Database);
        var first = await store.SaveAsync(Run(Start, RunOutcome.Success, 2) with { Key = "kiln|slot|1", DataKey = "kiln|data|1", Node = "a" }, CancellationToken.None);
        var sameSlot = await store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.SkippedNoNewData, 0) with { Key = "kiln|slot|1", Node = "b" }, CancellationToken.None);
        var sameData = await store.SaveAsync(Run(Start, RunOutcome.Success, 3) with { Key = "kiln|slot|2", DataKey = "kiln|data|1", Node = "c" }, CancellationToken.None);
        var next = await store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 1) with { Key = "kiln|slot|2b", DataKey = "kiln|data|2" }, CancellationToken.None);

        Assert.False(first.Duplicate);
        Assert.Equal(new RunSave(first.Id, true), sameSlot);
        Assert.Equal(new RunSave(first.Id, true), sameData);
        Assert.False(next.Duplicate);
        var stored = await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None);
        Assert.Equal([(next.Id, (string?)null), (first.Id, "a")], stored.Select(r => (r.Id, r.Node)));
        Assert.Equal(2, (await store.GetAsync(first.Id, CancellationToken.None))!.Recommendations.Count);
    }

    [Fact]
    public async Task SaveAll_GroupWithRepeatedKeys_StoresEachRunOnceWithItsRecommendations()
    {
        // Issue 15: concurrent answers share one transaction; a key repeated inside the group, or one stored
        // before it, is a duplicate exactly as when the runs are saved one by one.
        var store = new SqlRunStore(Database);
        var before = await store.SaveAsync(Run(Start, RunOutcome.Success, 1) with { Key = "api|0" }, CancellationToken.None);

        var saves = await store.SaveAllAsync(
        [
            Run(Start.AddMinutes(1), RunOutcome.Success, 2) with { Key = "api|1" },
            Run(Start.AddMinutes(2), RunOutcome.Infeasible, 3) with { Key = "api|2" },
            Run(Start.AddMinutes(3), RunOutcome.Success, 4) with { Key = "api|1" },
            Run(Start.AddMinutes(4), RunOutcome.Success, 5) with { Key = "api|0" },
        ], CancellationToken.None);

        Assert.Equal([false, false, true, true], saves.Select(s => s.Duplicate));
        Assert.Equal(saves[0].Id, saves[2].Id);
        Assert.Equal(before.Id, saves[3].Id);
        Assert.True(saves[1].Id > saves[0].Id && saves[0].Id > before.Id);
        var counts = await Task.WhenAll(saves.Take(2).Select(async s => (await store.GetAsync(s.Id, CancellationToken.None))!.Recommendations.Count));
        Assert.Equal([2, 3], counts);
        Assert.Equal(3, (await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None)).Count);
        Assert.Equal(1 + 2 + 3, await CountRecommendationsAsync());
    }

    [Fact]
    public async Task SaveRun_SameDataFromTwoWritersAtOnce_OneStoresAndTheOtherIsADuplicate()
    {
        var stores = new[] { new SqlRunStore(Database), new SqlRunStore(Reopen()) };
        var saves = await Task.WhenAll(stores.Select((store, i) => Task.Run(() =>
            store.SaveAsync(Run(Start, RunOutcome.Success, 300) with { Key = $"kiln|slot|{i}", DataKey = "kiln|data|same" }, CancellationToken.None))));

        Assert.Single(saves, s => !s.Duplicate);
        Assert.Equal(saves[0].Id, saves[1].Id);
        Assert.Single(await stores[0].RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None));
    }

    [Fact]
    public async Task SaveAll_ManyGroupsAtOnceOnOneStore_StoresEveryRunOnceAndEachIsReadByAFreshDataLayer()
    {
        // Issue 15: the connection that stores runs is kept open between groups; groups that overlap (a replay
        // beside the recorder, an attempt the timeout gave up on) must each get a connection of their own, and a
        // run is acknowledged only once its group is committed.
        var store = new SqlRunStore(Database);

        var groups = await Task.WhenAll(Enumerable.Range(0, 8).Select(g => Task.Run(() => store.SaveAllAsync(
            [.. Enumerable.Range(0, 5).Select(i => Run(Start.AddMinutes((10 * g) + i), RunOutcome.Success, 3) with { Key = $"api|{g}|{i}" })],
            CancellationToken.None))));

        var saves = groups.SelectMany(g => g).ToList();
        Assert.DoesNotContain(saves, s => s.Duplicate);
        Assert.Equal(40, saves.Select(s => s.Id).Distinct().Count());
        var stored = await new SqlRunStore(Reopen()).RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None);
        Assert.Equal(saves.Select(s => s.Id).Order(), stored.Select(r => r.Id).Order());
        Assert.Equal(40 * 3, await CountRecommendationsAsync());
    }

    [Fact]
    public async Task SaveRun_AfterAnotherConnectionChangedTheSchema_StoresTheRunWithItsRecommendations()
    {
        // Issue 15: statements stay prepared between groups; a schema changed under them (an index an operator
        // adds) must make them prepared again, not fail or write to what the schema was.
        var store = new SqlRunStore(Database);
        await store.SaveAsync(Run(Start, RunOutcome.Success, 2), CancellationToken.None);
        await ExecuteAsync("CREATE INDEX ix_test_units ON optimization_recommendations (units)");

        var next = await store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 4), CancellationToken.None);

        Assert.Equal(4, (await store.GetAsync(next.Id, CancellationToken.None))!.Recommendations.Count);
    }

    [Fact]
    public async Task SaveRun_AfterTheRecommendationsTableWasDroppedAndMadeAgain_FailsThenStoresTheNextRun()
    {
        // Issue 15: a group that fails closes the kept connection; the run after the schema is made again is
        // stored whole, on whichever connection.
        var store = new SqlRunStore(Database);
        await store.SaveAsync(Run(Start, RunOutcome.Success, 2), CancellationToken.None);
        await ExecuteAsync("DROP TABLE optimization_recommendations");

        var failure = await Record.ExceptionAsync(() => store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 2), CancellationToken.None));
        await Database.MigrateAsync(CancellationToken.None);
        var next = await store.SaveAsync(Run(Start.AddMinutes(2), RunOutcome.Success, 4), CancellationToken.None);

        Assert.IsType<DatabaseException>(failure);
        Assert.Equal(4, (await store.GetAsync(next.Id, CancellationToken.None))!.Recommendations.Count);
        Assert.Equal([Start.AddMinutes(2), Start], (await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None)).Select(r => r.DataTimestamp));
    }

    [Fact]
    public async Task SaveRun_InterruptedMidWrite_LosesNoCommittedRunAndWritesNoHalfRun()
    {
        var store = new SqlRunStore(Database);
        var committed = (await store.SaveAsync(Run(Start, RunOutcome.Success, 3), CancellationToken.None)).Id;

        await Assert.ThrowsAnyAsync<Exception>(() => InterruptedSaveAsync(store));

        var reopened = new SqlRunStore(Reopen());
        var latest = await reopened.LatestAsync(null, CancellationToken.None);
        Assert.Equal(committed, latest!.Id);
        Assert.Equal(3, latest.Recommendations.Count);
        Assert.Single(await reopened.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, null, CancellationToken.None));
    }

    [Fact]
    public async Task Prune_ApiRunsBeyondTheRowLimit_DeletesOldestWithRecommendationsAndNoLoopRun()
    {
        // Issue 13: on-demand answers are kept for a retention; the loop's record is never pruned.
        var store = new SqlRunStore(Database);
        var loop = new List<long>();
        var api = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            api.Add((await store.SaveAsync(Run(Start.AddMinutes(i), RunOutcome.Success, 2) with { StrategyName = "kiln/api" }, CancellationToken.None)).Id);
            if (i % 3 == 0)
            {
                loop.Add((await store.SaveAsync(Run(Start.AddMinutes(i), RunOutcome.Success, 2), CancellationToken.None)).Id);
            }
        }

        var deleted = await store.PruneAsync("kiln/api", keepRows: 3, startedBefore: null, CancellationToken.None);
        var again = await store.PruneAsync("kiln/api", keepRows: 3, startedBefore: null, CancellationToken.None);

        Assert.Equal(5, deleted);
        Assert.Equal(0, again);
        var kept = await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, "kiln/api", CancellationToken.None);
        Assert.Equal(api[^3..].AsEnumerable().Reverse(), kept.Select(r => r.Id));
        var loopRuns = await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 100, "kiln", CancellationToken.None);
        Assert.Equal(loop.AsEnumerable().Reverse(), loopRuns.Select(r => r.Id));
        Assert.All(loop, id => Assert.Equal(2, store.GetAsync(id, CancellationToken.None).Result!.Recommendations.Count));
        Assert.Equal((loop.Count + 3) * 2, await CountRecommendationsAsync());
    }

    [Fact]
    public async Task Prune_ApiRunsOlderThanTheAgeLimit_DeletesOnlyThose()
    {
        var store = new SqlRunStore(Database);
        var api = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            api.Add((await store.SaveAsync(Run(Start.AddDays(i), RunOutcome.Success, 1) with { StrategyName = "kiln/api" }, CancellationToken.None)).Id);
        }

        var loop = (await store.SaveAsync(Run(Start, RunOutcome.Success, 1), CancellationToken.None)).Id;

        // Runs start one second after their data: days 0, 1 and 2 started before day 3 began.
        var deleted = await store.PruneAsync("kiln/api", keepRows: null, startedBefore: Start.AddDays(3), CancellationToken.None);
        var underLimit = await store.PruneAsync("kiln/api", keepRows: 10, startedBefore: null, CancellationToken.None);

        Assert.Equal(3, deleted);
        Assert.Equal(0, underLimit);
        var kept = await store.RangeAsync(Start.AddDays(-1), Start.AddDays(10), 100, "kiln/api", CancellationToken.None);
        Assert.Equal(api[3..].AsEnumerable().Reverse(), kept.Select(r => r.Id));
        Assert.NotNull(await store.GetAsync(loop, CancellationToken.None));
    }

    private async Task<long> CountRecommendationsAsync() =>
        Convert.ToInt64(await ExecuteAsync("SELECT COUNT(*) FROM optimization_recommendations"), CultureInfo.InvariantCulture);

    // A statement on a connection of its own, outside the service's data layer, as an operator's tool would run it.
    private async Task<object?> ExecuteAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = Kind == DatabaseKind.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString)
            : new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Starts a long save and kills its connection (or its process's hold on it) part-way through.</summary>
    protected abstract Task InterruptedSaveAsync(SqlRunStore store);

    protected static RunRecord Run(DateTimeOffset data, RunOutcome outcome, int recommendations) => new()
    {
        StrategyName = "kiln",
        StrategyVersion = "1.0.0",
        ModelVersions = new Dictionary<string, string> { ["models/m.onnx"] = "etag-1" },
        DataTimestamp = data,
        StartedAt = data.AddSeconds(1),
        FinishedAt = data.AddSeconds(1.25),
        Outcome = outcome,
        SolverStatus = "Solve_Succeeded",
        Iterations = 12,
        Cost = -1.5,
        Message = "ok",
        Recommendations = [.. Enumerable.Range(0, recommendations).Select(i => new Recommendation($"v{i:D5}", i, i + 0.5, 0.5, "t/h"))],
    };
}
