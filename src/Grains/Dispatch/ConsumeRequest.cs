namespace CompassCi.Grains.Dispatch;

/// <summary>A testbox asking for work: what it offers, how long it is willing to wait.</summary>
/// <param name="Testbox">The testbox name.</param>
/// <param name="Tags">Normalised offered tags (see TagSet).</param>
/// <param name="MemoryMb">Free memory.</param>
/// <param name="LeaseId">
/// The client's id for this request. Asking again with the same id after a lost answer returns the job
/// the first ask took instead of a second one.
/// </param>
/// <param name="Wait">How long to hold the request open when nothing matches.</param>
public sealed record ConsumeRequest(string Testbox, IReadOnlyDictionary<string, string> Tags, long MemoryMb, string LeaseId, TimeSpan Wait);
