using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// A smooth program for one choice of kink sides. <see cref="Inner"/> computes the constraint rows, then the
/// <see cref="Conditions"/> side conditions (each ≥ 0 on its side), then any epigraph rows. Whoever builds a piece
/// disposes it when done with it, which gives its workspace back.
/// </summary>
/// <param name="Bound">A lower bound of the cost over the piece, −∞ when none is known.</param>
internal readonly record struct Piece(INonlinearProgram Program, CompositionProgram Inner, int Conditions, double Bound) : IDisposable
{
    public void Dispose() => Inner.Dispose();
}
