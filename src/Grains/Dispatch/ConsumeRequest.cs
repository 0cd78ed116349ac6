namespace CompassCi.Grains.Dispatch;

/// <summary>A testbox asking for work: what it offers, how long it is willing to wait.</summary>
/// <param name="Testbox">The testbox name.</param>
/// <param name="Tags">Normalised offered tags (see TagSet).</param>
/// <param name="MemoryMb">Free memory.</param>
/// <param name="LeaseId">
/// The id the job will be held under: the client's request id, or one made up for it. A request id is the testbox's
/// own: together with <paramref name="Testbox"/> it names one request, so two testboxes may use the same id.
/// </param>
/// <param name="Retriable">
/// True when <paramref name="LeaseId"/> is the client's own request id: the same testbox asking again with it after a
/// lost answer gets the job the first ask took instead of a second one.
/// </param>
/// <param name="Wait">How long to hold the request open when nothing matches.</param>
/// <param name="Host">The machine the testbox runs on; recorded with the job for the host's lifecycle.</param>
public sealed record ConsumeRequest(string Testbox, IReadOnlyDictionary<string, string> Tags, long MemoryMb, string LeaseId, bool Retriable, TimeSpan Wait, string? Host = null);
