using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Api;

namespace ProcessOptimizer.Tests.Api;

/// <summary>Issue 20: every ProblemDetails also carries the original service's <c>error</c> and <c>timestamp</c>.</summary>
public sealed class SeedErrorFieldsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 3, 17, 19, 30, TimeSpan.Zero);

    [Fact]
    public void Add_ValidationProblem_ErrorAndDetailNameEveryFieldAndTimestampIsTheServiceClock()
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["input_data"] = ["is required"], ["config"] = ["a", "b"] }) { Status = 400 };

        SeedErrorFields.Add(Context(problem));

        Assert.Equal("input_data: is required; config: a; config: b", problem.Extensions["error"]);
        Assert.Equal("input_data: is required; config: a; config: b", problem.Detail);
        Assert.Equal(Now, problem.Extensions["timestamp"]);
        Assert.Equal("error", problem.Extensions["status_text"]);
        Assert.False(problem.Extensions.ContainsKey("error_details"));
    }

    [Fact]
    public void Add_ProblemWithDetail_ErrorIsTitleAndDetail()
    {
        var problem = new ProblemDetails { Status = 503, Title = "No strategy is available", Detail = "the store is unreachable" };

        SeedErrorFields.Add(Context(problem));

        Assert.Equal("No strategy is available: the store is unreachable", problem.Extensions["error"]);
    }

    [Fact]
    public void Add_ErrorAlreadySet_KeepsIt()
    {
        var problem = new ProblemDetails { Status = 422, Title = "The optimization could not run on this input", Extensions = { ["error"] = "null value in Kiln_Coal_PV" } };

        SeedErrorFields.Add(Context(problem));

        Assert.Equal("null value in Kiln_Coal_PV", problem.Extensions["error"]);
    }

    [Fact]
    public void Add_UnhandledException_AddsErrorDetailsWithItsTypeAndMessage()
    {
        var problem = new ProblemDetails { Status = 500, Title = "An error occurred while processing your request." };

        SeedErrorFields.Add(Context(problem, new InvalidOperationException("the run store is closed")));

        Assert.Equal("InvalidOperationException: the run store is closed", problem.Extensions["error_details"]);
        Assert.Equal("An error occurred while processing your request.", problem.Extensions["error"]);
    }

    private static ProblemDetailsContext Context(ProblemDetails problem, Exception? exception = null)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new FakeTimeProvider(Now)).BuildServiceProvider();
        return new ProblemDetailsContext { HttpContext = new DefaultHttpContext { RequestServices = services }, ProblemDetails = problem, Exception = exception };
    }
}
