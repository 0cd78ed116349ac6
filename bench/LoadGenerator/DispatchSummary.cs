namespace CompassCi.LoadGenerator;

/// <summary>Dispatch latencies of the long-poll item, in milliseconds (see <see cref="DispatchLatency"/>).</summary>
/// <param name="Count">Jobs with both a 201 and a hand-out.</param>
/// <param name="ArrivedBeforeAck">Jobs handed out before the submitter read their 201 (latency ≤ 0).</param>
/// <param name="NeverArrived">Jobs acknowledged and never handed out in time.</param>
public sealed record DispatchSummary(int Count, double? P50Ms, double? P99Ms, double? MaxMs, int ArrivedBeforeAck, int NeverArrived);
