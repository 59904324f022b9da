namespace ProcessOptimizer.Tests.Hostile;

/// <summary>One inotify event: the path it concerns and what happened, as inotify's bits.</summary>
public sealed record FileEvent(string Path, uint Mask)
{
    public bool IsRead => (Mask & Inotify.Reads) != 0;

    public override string ToString()
    {
        var kinds = new (uint Bit, string Name)[]
        {
            (Inotify.Open, "open"), (Inotify.Access, "read"), (Inotify.Modify, "write"), (Inotify.Attrib, "attributes"),
            (Inotify.Create, "create"), (Inotify.Delete, "delete"), (Inotify.MovedFrom, "move out"), (Inotify.MovedTo, "move in"),
        };
        return $"{string.Join('+', kinds.Where(k => (Mask & k.Bit) != 0).Select(k => k.Name))} {Path}";
    }
}
