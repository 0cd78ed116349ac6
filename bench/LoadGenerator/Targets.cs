namespace CompassCi.LoadGenerator;

/// <summary>
/// CompassCi's goals from shared/reference/baseline-to-beat.md, stated for 100k pending jobs on the 2-core box;
/// printed beside the results so a run says at once where it stands.
/// </summary>
public static class Targets
{
    public const double SubmitPerSecond = 10_000;
    public const double ConsumePerSecond = 12_500;
    public const double P99Ms = 50;

    /// <summary>"≤ 1.5 KB per pending job", read as 1.5 KiB like the baseline's "≈ 4 KiB per job".</summary>
    public const double BytesPerPendingJob = 1536;

    /// <summary>Best etcd figures of the baseline at 100k pending (native gRPC, its fastest protocol).</summary>
    public const double BaselineSubmitPerSecond = 3_378;
    public const double BaselineConsumePerSecond = 2_594;
    public const double BaselineBytesPerPendingJob = 4096;
}
