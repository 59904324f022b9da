namespace ProcessOptimizer.Tests.Cli;

/// <summary>A temporary folder for files a test writes; deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    public TempFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "process-optimizer-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        // A command run in-process leaves its SQLite connection open in the driver's pool, on a file in this folder,
        // and any test may clear every pool at any time: a connection closed while the folder is deleted creates or
        // removes its -wal and -shm files under the deletion ("Directory not empty"). Clearing the pools here only
        // did the same to other tests' folders, so the deletion is tried again once that close is over.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5 && Directory.Exists(Root))
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }
}
