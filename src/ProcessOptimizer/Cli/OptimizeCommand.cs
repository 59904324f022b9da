using System.Text.Json;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Results;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cli;

/// <summary><c>optimize --strategy FILE --input FILE [--store DIR]</c>: the result JSON on stdout; exit 0 only for success.</summary>
internal sealed class OptimizeCommand(INonlinearSolver solver, OptimizationSettings settings, TimeProvider time)
{
    public int Run(CommandLine line, TextWriter output, TextWriter error)
    {
        var path = line.Required("--strategy");
        var inputPath = line.Required("--input");
        var (strategy, problems) = StrategyFile.Read(path, solver);
        StrategyFile.WriteProblems(error, path, problems);
        if (strategy is null)
        {
            return ExitCodes.Invalid;
        }

        CycleInput input;
        try
        {
            input = InputParser.ReadFile(inputPath);
        }
        catch (Exception ex) when (ex is InputException or IOException)
        {
            error.WriteLine($"{inputPath}: {ex.Message}");
            return ExitCodes.Invalid;
        }

        if (line.Option("--store") is not { } root)
        {
            if (strategy.SkillsOf<InferenceModelSkill>().FirstOrDefault() is { } skill)
            {
                error.WriteLine($"optimize: skill '{skill.Name}': model '{skill.ModelPath}' needs a model store (--store DIR)");
                return ExitCodes.Failed;
            }

            // A strategy without models reads nothing from its store.
            root = ".";
        }

        DeployedStrategy deployed;
        try
        {
            // The service's own build, with models of its own: nothing outlives the command to share them with.
            deployed = new StrategyBuilder(new LocalFolderStore(root), cache: null).BuildAsync("command line", path, path, strategy, problems, null, apart: true, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (StrategyVersionException ex)
        {
            // A model that cannot load yields no result at all: nothing half-computed is printed.
            foreach (var problem in ex.Problems)
            {
                error.WriteLine($"optimize: {problem}");
            }

            return ExitCodes.Failed;
        }
        catch (StorageException ex)
        {
            error.WriteLine($"optimize: {ex.Message}");
            return ExitCodes.Failed;
        }

        CycleResult result;
        try
        {
            var check = line.Flags.Contains("--check-derivatives");
            result = new CycleRunner(solver).Run(deployed.Compiled, input, settings.ToSolverSettings() with { CheckDerivatives = check }, CancellationToken.None);
            if (check)
            {
                return ReportDerivativeCheck(result, output, error);
            }
        }
        catch (CycleException ex)
        {
            result = new CycleResult { Status = CycleStatus.Error, Error = ex.Message, ErrorType = ex.Failure };
        }
        finally
        {
            deployed.Drop();
        }

        output.WriteLine(JsonSerializer.Serialize(ResponseMapper.Map(result, time.GetUtcNow(), null), ResultJson.Options));
        if (result.Status != CycleStatus.Success)
        {
            error.WriteLine($"optimize: {ResponseMapper.StatusText(result.Status)}: {result.Error ?? result.Solver.LastOrDefault()?.Status}");
        }

        return result.Status == CycleStatus.Success ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>IPOPT's derivative test through the whole strategy: passes at a largest relative error of 1e-6.</summary>
    private int ReportDerivativeCheck(CycleResult result, TextWriter output, TextWriter error)
    {
        const double limit = 1e-6;
        if (result.Status == CycleStatus.Error || result.Solver.Count == 0 || result.Solver.Any(s => s.DerivativeError is null))
        {
            error.WriteLine($"check-derivatives: no derivative test ran: {result.Error ?? "the strategy has no optimizer"}");
            return ExitCodes.Failed;
        }

        var largest = result.Solver.Max(s => s.DerivativeError!.Value);
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"largest relative derivative error: {largest:E3} (limit {limit:E0})"));
        foreach (var solver in result.Solver)
        {
            output.WriteLine($"  {solver.Skill}: hessian {solver.Hessian}; models {string.Join(", ", solver.ModelDerivatives.Select(p => $"{p.Key} {p.Value}"))}");
        }

        return largest <= limit ? ExitCodes.Success : ExitCodes.Failed;
    }
}
