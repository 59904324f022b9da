namespace ProcessOptimizer.Core.Cycle;

/// <summary>Compares plan keys, and a <see cref="PlanProbe"/> with a key, so that the plan cache is searched without a key per lookup.</summary>
internal sealed class PlanKeyComparer : IEqualityComparer<PlanKey>, IAlternateEqualityComparer<PlanProbe, PlanKey>
{
    public static readonly PlanKeyComparer Instance = new();

    public bool Equals(PlanKey? x, PlanKey? y) => x is null ? y is null : x.Equals(y);

    public int GetHashCode(PlanKey obj) => obj.GetHashCode();

    public bool Equals(PlanProbe alternate, PlanKey other) => alternate.Hash == other.GetHashCode() && alternate.Matches(other);

    public int GetHashCode(PlanProbe alternate) => alternate.Hash;

    public PlanKey Create(PlanProbe alternate) => alternate.ToKey();
}
