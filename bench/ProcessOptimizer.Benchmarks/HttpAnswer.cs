namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// What the load client keeps of an answer: its status, whether its body is a whole JSON document (it ends with
/// <c>}</c>), whether the connection stays open, and the body's first characters for a failure only.
/// </summary>
internal readonly record struct HttpAnswer(int Status, bool Whole, bool KeepAlive, string Text)
{
    /// <summary>A 200 with its whole body: anything else is counted as a failure.</summary>
    public bool Ok => Status == 200 && Whole;
}
