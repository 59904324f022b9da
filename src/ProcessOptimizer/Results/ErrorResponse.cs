namespace ProcessOptimizer.Results;

/// <summary>The seed's error response.</summary>
public sealed record ErrorResponse(string Status, DateTimeOffset Timestamp, string Error, string ErrorType, IReadOnlyList<string>? Warnings = null);
