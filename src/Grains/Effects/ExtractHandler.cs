using CompassCi.Grains.Results.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Streams;

namespace CompassCi.Grains.Effects;

/// <summary>
/// Starts an ended job's results pipeline by publishing its id on <see cref="ResultsTrigger"/>; the job's
/// <see cref="ResultsGrain"/> receives it and marks the effect done when the pipeline ends. Publishing twice is
/// harmless: the pipeline resumes at its first step not done, and ends at once when none is left.
/// </summary>
public sealed class ExtractHandler(IServiceProvider services) : IJobEffectHandler
{
    public string Kind => JobEffectKinds.Extract;

    // Publishing needs no answer from the job's grain; the writer answers its caller without waiting for it.
    public bool Detached => true;

    public bool DoneElsewhere => true;

    public Task HandleAsync(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var provider = services.GetRequiredKeyedService<IStreamProvider>(ResultsTrigger.Provider);
        var stream = provider.GetStream<ResultsRequest>(StreamId.Create(ResultsTrigger.Namespace, ResultsGrain.Key(entry.JobId)));
        return stream.OnNextAsync(new ResultsRequest(entry.JobId));
    }
}
