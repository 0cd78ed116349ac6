namespace CompassCi.LoadGenerator;

/// <summary>A job acknowledged by submit: its id and the shape (queue) it waits in.</summary>
public sealed record PendingJob(int Shape, string Id);
