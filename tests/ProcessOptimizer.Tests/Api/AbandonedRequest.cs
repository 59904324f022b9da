using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ProcessOptimizer.Tests.Api;

/// <summary>
/// Completes <see cref="Ended"/> once the service is done with the first request whose client left: from then the
/// service has seen the client go, and whatever the request held (a solver worker's answer) is nobody's.
/// </summary>
internal sealed class AbandonedRequest : IStartupFilter
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ended => _ended.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            try
            {
                await following(context);
            }
            finally
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    _ended.TrySetResult();
                }
            }
        });
        next(app);
    };
}
