using Orleans.Concurrency;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>The results pipeline of one ended job (keyed by the job id). Internal to the silo; the REST API reaches it through the pipeline endpoints.</summary>
public interface IResultsGrain : IGrainWithStringKey
{
    /// <summary>Runs the pipeline from its first step not done to its end. One-way: the stream's delivery does not wait for it.</summary>
    [OneWay]
    Task Run();

    /// <summary>Makes the failed steps pending again and runs the pipeline. False when no step had failed.</summary>
    Task<bool> Retry();
}
