using System.Runtime.InteropServices;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Whether IPOPT's shared library loads here, found once. The imports in <see cref="Interop"/> bind the library at
/// their first call, so without this check a machine lacking it starts, reports healthy, and learns of it from a
/// <see cref="DllNotFoundException"/> in the middle of every solve.
/// </summary>
/// <remarks>
/// The service checks <see cref="Interop.Library"/>, the name the imports bind. Another name is for seeing what the
/// service does on a machine without the library, on one that has it: only this check is pointed elsewhere, and
/// every solver entry point asks it first.
/// </remarks>
public sealed class IpoptLibrary
{
    private readonly Lazy<string?> _problem;

    /// <summary>The library the imports bind.</summary>
    public IpoptLibrary()
        : this(Interop.Library)
    {
    }

    /// <param name="name">The shared library to load, by soname or path.</param>
    public IpoptLibrary(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _problem = new Lazy<string?>(() => Check(name), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The library's name.</summary>
    public string Name { get; }

    /// <summary>Why the library cannot be used, in one line that names it; null when it loads.</summary>
    public string? Problem => _problem.Value;

    /// <exception cref="SolverUnavailableException">The library cannot be used; the message is <see cref="Problem"/>.</exception>
    public void ThrowIfUnavailable()
    {
        if (Problem is { } problem)
        {
            throw new SolverUnavailableException(problem);
        }
    }

    private static string? Check(string name)
    {
        // The handle is not freed: the imports keep the library mapped for the life of the process anyway.
        if (!NativeLibrary.TryLoad(name, typeof(IpoptLibrary).Assembly, null, out var handle))
        {
            return $"the solver library {name} cannot be loaded: IPOPT is not installed (Debian and Ubuntu: package coinor-libipopt1v5)";
        }

        return NativeLibrary.TryGetExport(handle, "IpoptSolve", out _)
            ? null
            : $"the solver library {name} loads but has no IpoptSolve: it is not IPOPT's C interface";
    }
}
