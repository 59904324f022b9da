using Microsoft.Extensions.FileProviders;

namespace ProcessOptimizer.Dashboard;

/// <summary>
/// Serves the dashboard's pages at <c>/</c> from files embedded in the service's assembly: the pages, their
/// scripts and styles, and the chart library, so nothing is fetched from elsewhere at run time.
/// </summary>
public static class DashboardSite
{
    // Embedded resources are named after this prefix and the file's path with '.' for '/' (see the project file).
    private const string ResourcePrefix = "ProcessOptimizer.Dashboard.Site";

    // Everything from the service itself; data: for the empty favicon.
    private const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static WebApplication UseDashboardSite(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new EmbeddedFileProvider(typeof(DashboardSite).Assembly, ResourcePrefix);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                // Revalidate each time: a new build of the service must not meet yesterday's scripts in a browser cache.
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
        return app;
    }
}
