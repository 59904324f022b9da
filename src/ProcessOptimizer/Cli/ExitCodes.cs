namespace ProcessOptimizer.Cli;

/// <summary>Process exit codes: 0 only when the command did what was asked.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran, but the result is not a success (solver failed, bad data, model error).</summary>
    public const int Failed = 1;

    /// <summary>Bad command line, or an invalid strategy or input file.</summary>
    public const int Invalid = 2;
}
