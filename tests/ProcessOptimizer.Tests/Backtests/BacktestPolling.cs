using System.Text.Json;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>Reading a backtest's state over the API until it gets somewhere.</summary>
internal static class BacktestPolling
{
    /// <summary>The backtest's state once <paramref name="done"/> holds, or after two minutes, for the caller to assert on.</summary>
    public static async Task<JsonElement> UntilAsync(HttpClient client, long id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var state = await Json(await client.GetAsync($"/backtests/{id}"));
            if (done(state) || DateTime.UtcNow > deadline)
            {
                return state;
            }

            await Task.Delay(100);
        }
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
