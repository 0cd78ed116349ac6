namespace CompassCi.Grains.Storage;

/// <summary>What a cluster's barrier needs to know of one node job.</summary>
public sealed record ClusterNodeJob(long Id, string Stage, string? Health, bool CancelRequested);
