using System.Diagnostics;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// The hostile suite's file-system check can fail: what it must catch (reads, writes, new files, a folder listed,
/// by this process or another), it does catch, on the very watch the suite uses.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class FileAccessWatchTests(HostileHost host)
{
    public static TheoryData<string> Accesses => new(Actions.Keys);

    private static readonly Dictionary<string, (Action<HostileHost> Act, Func<HostileHost, string> Path, uint Kind)> Actions = new()
    {
        ["another process reads the canary"] = (h => Run("cat", h.CanaryFile), h => h.CanaryFile, Inotify.Access),
        ["another process reads ipopt.opt in the working directory"] = (_ => Run("cat", HostileHost.OptionFileCanary), _ => HostileHost.OptionFileCanary, Inotify.Open),
        ["another process appends to the canary"] = (h => Run("sh", "-c", $"printf x >> '{h.CanaryFile}'"), h => h.CanaryFile, Inotify.Modify),
        ["this process lists the canary folder"] = (h => Directory.GetFiles(h.Canary), h => h.Canary, Inotify.Open),
        ["this process creates a file in the temp directory"] = (h => File.WriteAllText(Path.Combine(h.Temp, "made.txt"), "x"), h => Path.Combine(h.Temp, "made.txt"), Inotify.Create),
        ["this process creates a file in the working directory"] = (_ => File.WriteAllText("made-by-test.txt", "x"), _ => Path.Combine(Environment.CurrentDirectory, "made-by-test.txt"), Inotify.Create),
        ["this process reads a JSON file in the working directory"] = (_ => File.ReadAllBytes("ProcessOptimizer.Tests.deps.json"), _ => Path.Combine(Environment.CurrentDirectory, "ProcessOptimizer.Tests.deps.json"), Inotify.Open),
    };

    [Theory]
    [MemberData(nameof(Accesses))]
    public void Touched_AnAccessTheSuiteMustCatch_IsSeen(string name)
    {
        var (act, path, kind) = Actions[name];
        var canary = File.ReadAllText(host.CanaryFile);
        IReadOnlyList<FileEvent> touched;
        try
        {
            using var watch = host.Watch();
            act(host);
            touched = HostileHost.Touched(watch);
        }
        finally
        {
            File.WriteAllText(host.CanaryFile, canary);
            File.Delete(Path.Combine(host.Temp, "made.txt"));
            File.Delete("made-by-test.txt");
        }

        Assert.Contains(touched, e => e.Path == path(host) && (e.Mask & kind) != 0);
    }

    [Fact]
    public void Touched_TheRuntimeLoadingProgramCode_IsLeftOut()
    {
        using var watch = host.Watch();
        File.ReadAllBytes(typeof(HostileHost).Assembly.Location);

        Assert.Empty(HostileHost.Touched(watch));
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
