using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Tests.Service;
using ProcessOptimizer.Tests.Workers;

namespace ProcessOptimizer.Tests.Api;

/// <summary>
/// Clients at once, each with a window of its own, through the solver workers: every answer's run, read back, holds
/// exactly what was answered (each value's bits, names, units, the warnings), so no answer names another's run or
/// a run whose values moved on the way to the database.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class StoredAnswerTests
{
    [Fact]
    public async Task Optimize_ClientsAtOnceOnSqlite_EachRunReadsBackAsItsAnswer()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=2", "--Api:MaxQueuedRequests=8");

        await AnswersStoredAsync(host.Client);
    }

    [Fact]
    public async Task Optimize_ClientsAtOnceOnPostgres_EachRunReadsBackAsItsAnswer()
    {
        var service = new ServiceFixture { Settings = ["--Solver:Workers=2", "--Api:MaxQueuedRequests=8"] };
        await service.InitializeAsync();
        try
        {
            await AnswersStoredAsync(service.Client);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    // 6 clients, 3 requests each, every request with the kiln window scaled by a factor of its own.
    internal static async Task AnswersStoredAsync(HttpClient client)
    {
        var answers = (await Task.WhenAll(Enumerable.Range(0, 6).Select(async c =>
        {
            var mine = new List<JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.PostAsJsonAsync("/optimize", Body(1 + (((c * 3) + i) * 1e-5)));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
                mine.Add(JsonDocument.Parse(text).RootElement);
            }

            return mine;
        }))).SelectMany(a => a).ToList();

        Assert.Equal(answers.Count, answers.Select(a => a.GetProperty("variables").GetRawText()).Distinct().Count());
        foreach (var answer in answers)
        {
            Assert.False(answer.GetProperty("run_pending").GetBoolean());
            var id = answer.GetProperty("run_id").GetInt64();
            var stored = await client.GetFromJsonAsync<JsonElement>($"/runs/{id}");
            AssertStoredAsAnswered(answer, stored);
        }
    }

    // Numbers are compared as their text: both sides write the shortest text that reads back as the same double.
    private static void AssertStoredAsAnswered(JsonElement answer, JsonElement stored)
    {
        var id = stored.GetProperty("id").GetInt64();
        Assert.Equal(answer.GetProperty("strategy_version").GetString(), stored.GetProperty("strategy_version").GetString());
        Assert.Equal(answer.GetProperty("data_timestamp").GetDateTimeOffset(), stored.GetProperty("data_timestamp").GetDateTimeOffset());
        Assert.Equal(answer.GetProperty("cost_function_value").GetRawText(), stored.GetProperty("cost").GetRawText());
        Assert.Equal(answer.GetProperty("status").GetString(), stored.GetProperty("outcome").GetString());
        var solver = answer.GetProperty("solver").EnumerateArray().Last();
        Assert.Equal(solver.GetProperty("status").GetString(), stored.GetProperty("solver_status").GetString());
        Assert.Equal(solver.GetProperty("iterations").GetInt32(), stored.GetProperty("iterations").GetInt32());
        Assert.Equal(answer.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), stored.GetProperty("message_items").EnumerateArray().Select(w => w.GetString()));
        var recommendations = stored.GetProperty("recommendations").EnumerateArray().ToDictionary(r => r.GetProperty("variable").GetString()!, StringComparer.Ordinal);
        var variables = answer.GetProperty("variables").EnumerateObject().ToList();
        Assert.Equal(variables.Count, recommendations.Count);
        foreach (var variable in variables)
        {
            Assert.True(recommendations.TryGetValue(variable.Name, out var row), $"run {id} lacks {variable.Name}");
            var answered = variable.Value;
            var where = $"run {id}, {variable.Name}";
            Assert.True(answered.GetProperty("user_input_value").GetRawText() == row.GetProperty("current").GetRawText(), $"{where}: current {row.GetProperty("current")}, answered {answered.GetProperty("user_input_value")}");
            Assert.True(answered.GetProperty("optimizer_suggested_value").GetRawText() == row.GetProperty("recommended").GetRawText(), $"{where}: recommended {row.GetProperty("recommended")}, answered {answered.GetProperty("optimizer_suggested_value")}");
            Assert.True(answered.GetProperty("delta").GetRawText() == row.GetProperty("delta").GetRawText(), $"{where}: delta {row.GetProperty("delta")}, answered {answered.GetProperty("delta")}");
            Assert.Equal(answered.GetProperty("units").GetString(), row.GetProperty("units").GetString());
        }
    }

    // The kiln's latest window with every value scaled by factor: a different answer, bit for bit, for each factor.
    private static object Body(double factor)
    {
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        return new { input_data = input.Rows.Select(r => new { timestamp = r.Timestamp, data = r.Values.ToDictionary(p => p.Key, p => p.Value * factor) }) };
    }
}
