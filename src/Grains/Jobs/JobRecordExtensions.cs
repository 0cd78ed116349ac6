namespace CompassCi.Grains.Jobs;

/// <summary>Conversions of a job row used by more than one owner.</summary>
public static class JobRecordExtensions
{
    /// <summary>What a queue keeps of the job.</summary>
    public static PendingJob ToPending(this JobRecord job) => new(job.Id, job.Priority, job.SubmitTime, job.MemoryMb, job.Account);
}
