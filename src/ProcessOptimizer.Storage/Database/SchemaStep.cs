namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// One part of the schema and the statement that makes it: a table or an index, named by <paramref name="Name"/>,
/// or, when <paramref name="Table"/> is set, the column <paramref name="Name"/> that tables from before it lack.
/// </summary>
internal sealed record SchemaStep(string Name, string Create, string? Table = null);
