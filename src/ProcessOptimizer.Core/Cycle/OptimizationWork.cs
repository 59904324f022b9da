using Microsoft.Extensions.ObjectPool;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The arrays one run of an optimizer fills before it solves: the start and move windows of its decisions, the
/// constraint ranges and variables, the outputs at the operating point, and the problem's shape over them. Rented
/// from the optimizer's plan by one optimization at a time and given back once the cycle's result is built, so that a
/// warm cycle allocates none of them.
/// </summary>
/// <remarks>
/// Nothing a result keeps points in here: the candidates' points and the solutions are read only until the result is
/// built, which copies the values it reports, and a warm solve copies its point and multipliers out of the storage. A
/// cycle that throws leaves its work to the collector.
/// </remarks>
internal sealed class OptimizationWork
{
    private OptimizationWork(int decisions, int outputs)
    {
        Start = new double[decisions];
        Lower = new double[decisions];
        Upper = new double[decisions];
        AtCurrent = new double[outputs];
        Shape = new ProgramShape(Start, Lower, Upper, [], []);
    }

    public double[] Start { get; }

    public double[] Lower { get; }

    public double[] Upper { get; }

    /// <summary>The outputs of the optimizer's steps at the operating point, in the plan's order.</summary>
    public double[] AtCurrent { get; }

    public int[] ConstraintVariables { get; private set; } = [];

    /// <summary>The shape over <see cref="Start"/>, the windows and the constraint ranges, sized by <see cref="Constraints"/>.</summary>
    public ProgramShape Shape { get; private set; }

    /// <summary>The side conditions of one piece at a time, for the formulation to fill.</summary>
    public List<ConditionRow> Conditions { get; } = [];

    /// <summary>The run's solves with the cost, as its log adds them; the cycle's result keeps a copy.</summary>
    public List<WarmSolve> WarmSolves { get; } = [];

    private readonly List<SolutionStorage> _storages = [];

    /// <summary>
    /// Storage for one solve of a program of <paramref name="shape"/>, the same for every solve of that shape in this
    /// run: a solution's arrays hold until the run's next solve, and what is kept of one (a warm start) is copied out.
    /// </summary>
    public SolutionStorage Storage(ProgramShape shape)
    {
        for (var s = 0; s < _storages.Count; s++)
        {
            if (_storages[s].Fits(shape))
            {
                return _storages[s];
            }
        }

        var storage = SolutionStorage.For(shape);
        _storages.Add(storage);
        return storage;
    }

    /// <summary>The run's search, started and disposed by the run (<see cref="Solving.CandidateSearch.Start"/>).</summary>
    public Solving.CandidateSearch Search { get; } = new();

    private readonly List<double[]> _points = [];
    private int _pointsTaken;

    /// <summary>
    /// An array for one point a search keeps (a candidate's), <paramref name="length"/> long: none is handed out twice
    /// in a run, and each stays as its candidate left it until the work goes back, after the result has copied what it reports.
    /// </summary>
    public double[] Point(int length)
    {
        if (_pointsTaken == _points.Count)
        {
            _points.Add(new double[length]);
        }
        else if (_points[_pointsTaken].Length != length)
        {
            _points[_pointsTaken] = new double[length];
        }

        return _points[_pointsTaken++];
    }

    private IStep[] _steps = [];

    /// <summary>The steps of one piece at a time, <paramref name="count"/> long, for the formulation to fill.</summary>
    public IStep[] Steps(int count) => _steps.Length == count ? _steps : _steps = new IStep[count];

    /// <summary>Sizes the constraint arrays for <paramref name="count"/> constraints; their values are the caller's to set.</summary>
    public void Constraints(int count)
    {
        if (ConstraintVariables.Length != count)
        {
            ConstraintVariables = new int[count];
            Shape = Shape with { ConstraintLower = new double[count], ConstraintUpper = new double[count] };
        }
    }

    /// <summary>The pool an optimizer's plan keeps its runs' work in.</summary>
    public static ObjectPool<OptimizationWork> Pool(int decisions, int outputs) => new DefaultObjectPool<OptimizationWork>(new Policy(decisions, outputs));

    private sealed class Policy(int decisions, int outputs) : IPooledObjectPolicy<OptimizationWork>
    {
        public OptimizationWork Create() => new(decisions, outputs);

        // The warm solves are the result's by then (copied into it); the pool holds none of them.
        public bool Return(OptimizationWork obj)
        {
            obj.WarmSolves.Clear();
            obj._pointsTaken = 0;
            return true;
        }
    }
}
