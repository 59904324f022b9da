using System.Diagnostics;

namespace ProcessOptimizer.Benchmarks;

/// <summary>Starts the built service as a process of its own, its console drained and dropped.</summary>
internal static class ServiceProcess
{
    /// <param name="arguments">The service dll, then its command and settings.</param>
    public static Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
