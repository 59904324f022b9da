namespace ProcessOptimizer.Core.Storage;

/// <summary>What a key in the object store may look like: a relative path that stays inside the store.</summary>
public static class StoreKeys
{
    /// <summary>Why <paramref name="key"/> cannot name an object in the store, or null when it can.</summary>
    public static string? Problem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return "is empty";
        }

        if (key.Any(char.IsControl))
        {
            return "contains a control character";
        }

        if (key[0] is '/' or '\\' || (key.Length > 1 && key[1] == ':'))
        {
            return "must be a key relative to the store, not an absolute path";
        }

        return key.Split('/', '\\').Any(segment => segment is ".." or "")
            ? "must stay inside the store (no '..' or empty path segments)"
            : null;
    }
}
