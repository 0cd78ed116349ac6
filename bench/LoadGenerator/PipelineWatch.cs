namespace CompassCi.LoadGenerator;

/// <summary>What <see cref="PipelineWatcher"/> saw.</summary>
/// <param name="Finished">Jobs whose finish was answered 200.</param>
/// <param name="Ended">Those seen leaving the pending list.</param>
/// <param name="Seconds">From the first finish's 200 to the listing that saw the last pipeline end.</param>
/// <param name="FinishToEnd">Per ended job, Stopwatch ticks from its finish's 200 to the listing that no longer named it.</param>
/// <param name="Listings">The listings: latencies of whole listings (every page), errors, deadline.</param>
public sealed record PipelineWatch(int Finished, IReadOnlySet<string> Ended, double Seconds, IReadOnlyList<long> FinishToEnd, WorkerTally Listings);
