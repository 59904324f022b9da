using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// The version switch given a version text that cannot name a version: it answered 422 "refused", as for a
/// version that does not load, where a backtest answers 400 for the same text. A malformed version is the
/// request's error, a 400 naming <c>version</c>; a well-formed one that is not in the store stays a 422.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class VersionSwitchRequestTests(HostileHost host)
{
    [Theory]
    [InlineData("/strategies/process-optimization/version", "../x")]
    [InlineData("/strategies/process-optimization/version", "a b")]
    [InlineData("/strategies/process-optimization/version", "1.0.0\n")]
    [InlineData("/strategies/process-optimization/version", "")]
    [InlineData("/strategy/version", "../x")]
    [InlineData("/strategy-version-update", "configs/x")]
    [InlineData("/process/strategy-version-update", "a b")]
    public async Task Switch_MalformedVersion_Is400NamingVersion(string path, string version)
    {
        var response = await PutAsync(path, version);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, problem.GetRawText());
        Assert.True(problem.GetProperty("errors").TryGetProperty("version", out var errors), problem.GetRawText());
        Assert.Contains("is not a valid version", errors[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("version: ", problem.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_LongVersion_Is400SayingTheLimitWithoutRepeatingItAll()
    {
        var response = await PutAsync("/strategies/process-optimization/version", new string('9', 5_000));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, problem);
        Assert.Contains("at most 64 characters", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('9', 200), problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_WellFormedVersionNotInTheStore_Stays422NamingTheMissingConfig()
    {
        var response = await PutAsync("/strategies/process-optimization/version", "9.9.9");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(HttpStatusCode.UnprocessableEntity == response.StatusCode, problem.GetRawText());
        Assert.Contains("9.9.9", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("does not exist", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PutAsync(string path, string version)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { version }), Encoding.UTF8, "application/json");
        return await host.Client.PutAsync(path, content);
    }
}
