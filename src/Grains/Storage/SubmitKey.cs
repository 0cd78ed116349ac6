namespace CompassCi.Grains.Storage;

/// <summary>
/// What makes a submit safe to repeat: the client's <c>submit_id</c>, scoped to its account, and a digest of the job
/// document, so a repeat can be told from a different job that reuses the id.
/// </summary>
public sealed record SubmitKey(string Account, string SubmitId, string Digest);
