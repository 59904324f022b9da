using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>The suite's stored runs: written, read back, kept once under their keys, and pruned.</summary>
public abstract partial class ProcessDatabaseTests
{
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
}
