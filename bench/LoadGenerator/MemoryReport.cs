namespace CompassCi.LoadGenerator;

/// <summary>The server-memory figures of a run (all null without --silo-pid).</summary>
/// <param name="RssBeforeSubmitBytes">Silo VmRSS after start-up, before any job.</param>
/// <param name="RssWithPendingBytes">Silo VmRSS right after the submit phase, all jobs pending.</param>
/// <param name="BytesPerPendingJob">(RssWithPending - RssBeforeSubmit) / jobs acknowledged.</param>
/// <param name="PeakRssBytes">Silo VmHWM at the end of the run: its highest resident size over the whole run.</param>
/// <param name="RssAfterDrainBytes">Silo VmRSS after the drain.</param>
/// <param name="TreeRssBeforeSubmitBytes">Silo plus descendants (its MariaDB), before submit.</param>
/// <param name="TreeRssWithPendingBytes">Silo plus descendants, with all jobs pending.</param>
/// <param name="TreeBytesPerPendingJob">The per-job figure for silo plus descendants.</param>
/// <param name="TreeProcesses">Processes counted in the tree figures.</param>
public sealed record MemoryReport(
    long? RssBeforeSubmitBytes,
    long? RssWithPendingBytes,
    double? BytesPerPendingJob,
    long? PeakRssBytes,
    long? RssAfterDrainBytes,
    long? TreeRssBeforeSubmitBytes,
    long? TreeRssWithPendingBytes,
    double? TreeBytesPerPendingJob,
    int? TreeProcesses)
{
    public static MemoryReport From(MemoryReading? before, MemoryReading? pending, MemoryReading? after, int pendingJobs) => new(
        before?.RssBytes,
        pending?.RssBytes,
        PerJob(before?.RssBytes, pending?.RssBytes, pendingJobs),
        after?.HwmBytes ?? pending?.HwmBytes,
        after?.RssBytes,
        before?.TreeRssBytes,
        pending?.TreeRssBytes,
        PerJob(before?.TreeRssBytes, pending?.TreeRssBytes, pendingJobs),
        pending?.TreeProcesses);

    private static double? PerJob(long? before, long? with, int jobs) =>
        before is { } b && with is { } w && jobs > 0 ? (double)(w - b) / jobs : null;
}
