using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// Query values and JSON fields that a route's parameters cannot bind: each used to be a bare 400 "Bad Request"
/// that named nothing. Each must name its field, and none may repeat the value sent.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class ParameterBindingTests(HostileHost host)
{
    [Theory]
    [InlineData("/runs?limit=999999999999", "limit")]
    [InlineData("/runs?from=yesterday", "from")]
    [InlineData("/runs?from=0001-01-01T00:00:00%2B14:00", "from")]
    [InlineData("/strategies/process-optimization/runs?to=x", "to")]
    [InlineData("/strategies/process-optimization/trends?from=x", "from")]
    [InlineData("/backtests/1/steps?offset=99999999999", "offset")]
    public async Task Get_QueryValueOfTheWrongType_Is400NamingTheParameter(string path, string field)
    {
        var response = await host.Client.GetAsync(path);

        await AssertNamesAsync(response, field);
    }

    [Theory]
    [InlineData("""{"from": "x", "to": "2026-01-03T00:00:00Z"}""", "from")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "versions": "1.0.0"}""", "versions")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "step": "1e30m"}""", "step")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "horizon": "1e30d"}""", "horizon")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "step": "1e-9s"}""", "step")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "horizon": "1e-9s"}""", "horizon")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "step": "00:00:00.0000001"}""", "step")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "versions": ["../x"]}""", "versions")]
    [InlineData("""{"from": "2026-01-02T00:00:00Z", "to": "2026-01-03T00:00:00Z", "versions": ["1.0.0", null]}""", "versions")]
    public async Task StartBacktest_BodyFieldOfTheWrongType_Is400NamingTheField(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/strategies/process-optimization/backtests", content);

        await AssertNamesAsync(response, field);
    }

    [Fact]
    public async Task Trends_HorizonThatIsNotANumber_Is400SayingANumberIsWanted()
    {
        var response = await host.Client.GetAsync("/strategies/process-optimization/trends?horizon=-5m");

        var error = await AssertNamesAsync(response, "horizon");
        Assert.DoesNotContain("Nullable", error, StringComparison.Ordinal);
        Assert.Contains("a number", error, StringComparison.Ordinal);
    }

    // The version switch's and the backtests' rule: a text that cannot name a version is the request's error,
    // where it answered 404 "no version 'a b' in the store" as if it could have been there.
    [Theory]
    [InlineData("/strategies/process-optimization/versions/a%20b")]
    [InlineData("/strategies/process-optimization/versions/a%01b")]
    [InlineData("/strategies/process-optimization/versions/1234567890123456789012345678901234567890123456789012345678901234.6")]
    public async Task VersionText_MalformedVersion_Is400NamingVersion(string path)
    {
        var response = await host.Client.GetAsync(path);

        var error = await AssertNamesAsync(response, "version");
        Assert.Contains("is not a valid version", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/strategies/process-optimization/versions/9.9.9")]
    [InlineData("/strategies/no-such-strategy/versions/1.0.0")]
    [InlineData("/strategies/no-such-strategy/trends")]
    public async Task Get_UnknownStrategyOrVersion_Is404WithTheErrorFields(string path)
    {
        var response = await host.Client.GetAsync(path);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(HttpStatusCode.NotFound == response.StatusCode, problem.GetRawText());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(problem.GetProperty("title").GetString()!, problem.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", problem.GetProperty("status_text").GetString());
    }

    private static async Task<string> AssertNamesAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, problem.GetRawText());
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), problem.GetRawText());
        Assert.StartsWith(field + ": ", problem.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("999999999999", problem.GetRawText(), StringComparison.Ordinal);
        return problem.GetProperty("error").GetString()!;
    }
}
