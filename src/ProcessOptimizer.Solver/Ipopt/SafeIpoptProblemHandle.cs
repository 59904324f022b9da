using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>Owns one <c>IpoptProblem</c>; disposing it frees the problem and everything IPOPT allocated for it.</summary>
internal sealed class SafeIpoptProblemHandle : SafeHandle
{
    public SafeIpoptProblemHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.FreeIpoptProblem(handle);
        return true;
    }
}
