namespace CompassCi.LoadGenerator;

/// <summary>
/// Long-poll dispatch latency per job: when its consume answer reached a waiting testbox minus when its submit's 201
/// reached the submitter, both Stopwatch timestamps of this one process. A job can reach its testbox before the
/// submitter has read its 201 (the queue hands it out while the reply is still on the wire); its latency is then
/// negative and counted in <see cref="DispatchSummary.ArrivedBeforeAck"/>, not hidden.
/// </summary>
public static class DispatchLatency
{
    /// <param name="acknowledgedAt">Submit 201 time per job id.</param>
    /// <param name="arrivals">Every hand-out (id, time); a repeat of an id keeps its first time here (the exactly-once check counts repeats).</param>
    public static DispatchSummary Summarize(IReadOnlyDictionary<string, long> acknowledgedAt, IEnumerable<(string Id, long At)> arrivals)
    {
        var firstArrival = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, at) in arrivals)
        {
            if (!firstArrival.TryGetValue(id, out var seen) || at < seen)
            {
                firstArrival[id] = at;
            }
        }

        var latencies = new List<long>(acknowledgedAt.Count);
        var neverArrived = 0;
        foreach (var (id, ackAt) in acknowledgedAt)
        {
            if (firstArrival.TryGetValue(id, out var at)) latencies.Add(at - ackAt);
            else neverArrived++;
        }

        latencies.Sort();
        return new DispatchSummary(
            latencies.Count,
            Ms(Percentiles.NearestRank(latencies, 50)),
            Ms(Percentiles.NearestRank(latencies, 99)),
            latencies.Count > 0 ? Percentiles.TicksToMilliseconds(latencies[^1]) : null,
            latencies.Count(l => l < 0),
            neverArrived);
    }

    private static double? Ms(long? ticks) => ticks is { } t ? Percentiles.TicksToMilliseconds(t) : null;
}
