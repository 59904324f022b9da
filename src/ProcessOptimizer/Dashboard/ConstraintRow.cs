namespace ProcessOptimizer.Dashboard;

/// <summary>One constraint of a run: the predicted value at the recommendation against its band.</summary>
/// <param name="OpMin">The band's lower end; null when unbounded below.</param>
/// <param name="OpMax">The band's upper end; null when unbounded above.</param>
/// <param name="State"><c>within</c>, <c>near</c> (in the outer tenth of the band on either side) or <c>violated</c>.</param>
public sealed record ConstraintRow(string Variable, string Units, double Predicted, double? OpMin, double? OpMax, string State);
