namespace ProcessOptimizer.Benchmarks;

/// <summary>What the load client keeps of an answer: its status, whether the connection stays open, and the body's text for a failure only.</summary>
internal readonly record struct HttpAnswer(int Status, bool KeepAlive, string Text);
