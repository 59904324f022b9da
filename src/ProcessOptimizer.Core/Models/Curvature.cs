namespace ProcessOptimizer.Core.Models;

/// <summary>Helpers for model second derivatives laid out outputs × inputs × inputs.</summary>
public static class Curvature
{
    /// <summary>Averages each pair (i, k) and (k, i): second derivatives from differences are symmetric only up to rounding.</summary>
    public static void Symmetrize(Span<double> curvature, int outputs, int inputs)
    {
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                for (var k = 0; k < i; k++)
                {
                    var a = (o * inputs * inputs) + (i * inputs) + k;
                    var b = (o * inputs * inputs) + (k * inputs) + i;
                    curvature[a] = curvature[b] = 0.5 * (curvature[a] + curvature[b]);
                }
            }
        }
    }
}
