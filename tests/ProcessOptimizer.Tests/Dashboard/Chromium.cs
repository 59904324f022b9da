using Microsoft.Playwright;

namespace ProcessOptimizer.Tests.Dashboard;

/// <summary>Debian's Chromium, driven by Playwright without a browser download. A missing browser fails the tests.</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"Chromium is not installed at {Path}: run scripts/install-deps.sh test (apt-get install chromium)");
        }

        var playwright = await Playwright.CreateAsync();
        // No sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true, Args = ["--no-sandbox"] });
        return (playwright, browser);
    }
}
