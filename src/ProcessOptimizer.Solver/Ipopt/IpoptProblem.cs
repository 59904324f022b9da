namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Owns one native <c>IpoptProblem</c> for the length of one solve (or one option check); <see cref="Dispose"/>
/// frees it and everything IPOPT allocated for it.
/// </summary>
/// <remarks>
/// A ref struct rather than a <c>SafeHandle</c>: IPOPT 3.11 needs a new problem for every solve (its bounds cannot
/// be changed on a kept one), and a SafeHandle would be a managed object per solve on a path that allocates
/// nothing else. The problem never leaves the stack frame that created it, always inside the solver's process-wide
/// lock and a <c>using</c>, so nothing can free it while a call is using it; that is what a SafeHandle would add.
/// </remarks>
internal readonly ref struct IpoptProblem
{
    public IpoptProblem(nint pointer) => Pointer = pointer;

    /// <summary>The native problem; valid until <see cref="Dispose"/>.</summary>
    public nint Pointer { get; }

    public bool IsInvalid => Pointer == nint.Zero;

    public void Dispose()
    {
        if (!IsInvalid)
        {
            Interop.FreeIpoptProblem(Pointer);
        }
    }
}
