using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// <c>?strategy=</c> on <c>/runs</c> and <c>/runs/latest</c>: a mistyped name answered 200 <c>[]</c> (or a bare
/// 404), so an operator saw "no runs" where the service meant "no such strategy". A name nothing is configured or
/// stored under is a 404 naming it, as <c>/strategies/{name}/runs</c> answers; a known name without runs is still
/// an empty list.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class RunsStrategyQueryTests(HostileHost host)
{
    private const string Long = "from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z";

    [Theory]
    [InlineData("/runs?strategy=proces-optimization")]
    [InlineData("/runs?strategy=proces-optimization/api")]
    [InlineData("/runs/latest?strategy=proces-optimization")]
    [InlineData("/runs/latest?strategy=proces-optimization/api")]
    public async Task Runs_UnknownStrategy_Is404NamingIt(string path)
    {
        var response = await host.Client.GetAsync(path);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(HttpStatusCode.NotFound == response.StatusCode, problem.GetRawText());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'proces-optimization", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("process-optimization", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", problem.GetProperty("status_text").GetString());
    }

    [Theory]
    [InlineData("/runs?strategy=process-optimization&" + Long)]
    [InlineData("/runs?strategy=process-optimization/api&" + Long)]
    [InlineData("/runs?strategy=*&" + Long)]
    [InlineData("/runs?" + Long)]
    public async Task Runs_KnownStrategyWithoutRunsInTheRange_IsAnEmptyList(string path)
    {
        var response = await host.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.OK == response.StatusCode, body);
        Assert.Equal("[]", body);
    }

    // A strategy taken out of the configuration leaves its runs in the database: they stay readable by its name.
    [Fact]
    public async Task Runs_NameThatIsNoLongerConfiguredButHasRuns_ListsThem()
    {
        var at = new DateTimeOffset(2001, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var store = host.App.Services.GetRequiredService<IRunStore>();
        var saved = await store.SaveAsync(new RunRecord { StrategyName = "retired-cooler", StrategyVersion = "1.0.0", StartedAt = at, FinishedAt = at.AddSeconds(1), Outcome = RunOutcome.Infeasible }, CancellationToken.None);

        var runs = await host.Client.GetFromJsonAsync<JsonElement>("/runs?strategy=retired-cooler&from=2001-03-04T00:00:00Z&to=2001-03-05T00:00:00Z");
        var latest = await host.Client.GetFromJsonAsync<JsonElement>("/runs/latest?strategy=retired-cooler");

        Assert.Equal([saved.Id], runs.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(saved.Id, latest.GetProperty("id").GetInt64());
    }
}
