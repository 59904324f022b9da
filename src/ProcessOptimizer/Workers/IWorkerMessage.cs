namespace ProcessOptimizer.Workers;

/// <summary>A message on the worker channel: it names the protocol version it was written in.</summary>
public interface IWorkerMessage
{
    int Protocol { get; }
}
