namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>PLACEHOLDER until the job.cgz branch merges (it owns this file).</summary>
public static class JobInitrdToken
{
    public static string Path(ReadOnlySpan<byte> key, long jobId, string leaseId) =>
        $"/job_initrd_tmpfs/{jobId}/{Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"cgz:{jobId}:{leaseId}")))}/job.cgz";
}
