using System.Diagnostics.Metrics;
using CompassCi.Grains.Jobs;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// The scheduler's own meter, <c>CompassCi</c>: what happens to jobs, claims, clusters, the results pipeline and the
/// shared commits, counted where it happens, with low-cardinality attributes only — never a job id. Exported with the
/// framework meters over OTLP and on <c>/metrics</c> (Prometheus: <c>compassci_jobs_submitted_total</c>, …); the
/// gauges live in <see cref="QueueGauges"/>, <see cref="AccountGauges"/> and <see cref="LabGauges"/>. docs/operations.md
/// says what each one means.
/// </summary>
public sealed class SchedulerMetrics : IDisposable
{
    /// <summary>The meter's name, as exporters select it.</summary>
    public const string MeterName = "CompassCi";

    /// <summary>Seconds from a quick hand-out to a job that waited a day in its queue.</summary>
    private static readonly double[] WaitBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400];

    /// <summary>Seconds of a request or a commit: milliseconds up to a long-poll's whole wait.</summary>
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Writes per shared commit, up to the largest group a commit takes.</summary>
    private static readonly long[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _handedOut;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _crashes;
    private readonly Counter<long> _rescheduled;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _claimConflicts;
    private readonly Counter<long> _clustersAborted;
    private readonly Counter<long> _pipelineSteps;
    private readonly Histogram<double> _submitToBoot;
    private readonly Histogram<double> _consumeDuration;
    private readonly UpDownCounter<long> _consumeWaiting;
    private readonly Histogram<double> _barrierWait;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _commitWrites;
    private readonly Histogram<long> _claimBatch;

    public SchedulerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _submitted = _meter.CreateCounter<long>("compassci.jobs.submitted", "{job}", "Jobs stored by a submit (each node job of a cluster counts).");
        _handedOut = _meter.CreateCounter<long>("compassci.jobs.consumed", "{job}", "Jobs handed to a testbox (submit → boot), however it asked.");
        _finished = _meter.CreateCounter<long>("compassci.jobs.finished", "{job}", "Jobs that ended, by job_health.");
        _crashes = _meter.CreateCounter<long>("compassci.jobs.crashes", "{job}", "Jobs that ended as a crash, by crash cause and whom it notifies.");
        _rescheduled = _meter.CreateCounter<long>("compassci.jobs.rescheduled", "{job}", "Crashed jobs replaced by a new attempt.");
        _expired = _meter.CreateCounter<long>("compassci.jobs.expired", "{job}", "Jobs the scheduler took back or ended for lack of time, by reason: lease_expired (back to its queue), deadline_exceeded, heartbeat_lost.");
        _claimConflicts = _meter.CreateCounter<long>("compassci.consume.claim_conflicts", "{claim}", "Claims that found their job no longer pending (taken through another activation, or ended) and tried the next.");
        _clustersAborted = _meter.CreateCounter<long>("compassci.clusters.aborted", "{cluster}", "Multi-node clusters that aborted.");
        _pipelineSteps = _meter.CreateCounter<long>("compassci.pipeline.steps", "{step}", "Results-pipeline steps run, by step and outcome (done, failed).");
        _submitToBoot = _meter.CreateHistogram("compassci.jobs.submit_to_boot", "s", "Time from a job's submit to its hand-out to a testbox.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _consumeDuration = _meter.CreateHistogram("compassci.consume.duration", "s", "Time a consume took, long-poll wait included, by outcome (job, none).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _consumeWaiting = _meter.CreateUpDownCounter<long>("compassci.consume.waiting", "{testbox}", "Consumes waiting in a long-poll on this silo now.");
        _barrierWait = _meter.CreateHistogram("compassci.cluster.barrier.wait", "s", "Time a cluster node waited at a barrier, by outcome (reached, abort, retry).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _commitDuration = _meter.CreateHistogram("compassci.db.commit.duration", "s", "Time of one shared database commit.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _commitWrites = _meter.CreateHistogram("compassci.db.commit.writes", "{write}", "Writes that shared one database commit.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _claimBatch = _meter.CreateHistogram("compassci.consume.claim.batch", "{claim}", "Hand-outs that shared one batched claim statement (and its commit).", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });

        // Counters without attributes start at 0, so a rate over them exists before the first event.
        foreach (var counter in (Counter<long>[])[_submitted, _handedOut, _rescheduled, _claimConflicts, _clustersAborted])
        {
            counter.Add(0);
        }
    }

    /// <summary>The meter, for the gauges that observe state kept elsewhere.</summary>
    internal Meter Meter => _meter;

    /// <summary><paramref name="count"/> jobs were stored by one submit.</summary>
    public void Submitted(int count) => _submitted.Add(count);

    /// <summary>Counts what a landed change did (see <see cref="JobChangeKinds"/>).</summary>
    public void Landed(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var kinds = JobChangeKinds.Of(change);
        if (kinds.HandedOut)
        {
            _handedOut.Add(1);
        }

        if (kinds.SubmitToBoot is { } wait)
        {
            _submitToBoot.Record(wait.TotalSeconds);
        }

        if (kinds.Health is { } health)
        {
            _finished.Add(1, new KeyValuePair<string, object?>("job_health", health));
        }

        if (kinds.Crash is { } crash)
        {
            _crashes.Add(1, new KeyValuePair<string, object?>("cause", crash.Cause), new KeyValuePair<string, object?>("notify", crash.Notify));
        }

        if (kinds.Rescheduled)
        {
            _rescheduled.Add(1);
        }

        if (kinds.Expired is { } reason)
        {
            _expired.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>A consume ended after <paramref name="elapsed"/>, with a job or without.</summary>
    public void Consumed(bool gotJob, TimeSpan elapsed) =>
        _consumeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", gotJob ? "job" : "none"));

    /// <summary>A consume begins (+1) or ends (-1) a long-poll wait.</summary>
    public void Waiting(int change) => _consumeWaiting.Add(change);

    /// <summary>A claim found its job no longer pending.</summary>
    public void ClaimConflict() => _claimConflicts.Add(1);

    /// <summary>A cluster aborted.</summary>
    public void ClusterAborted() => _clustersAborted.Add(1);

    /// <summary>A node's barrier wait ended with <paramref name="outcome"/> after <paramref name="elapsed"/>.</summary>
    public void BarrierWaited(string outcome, TimeSpan elapsed) =>
        _barrierWait.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A results-pipeline step ran.</summary>
    public void PipelineStep(string step, bool done) =>
        _pipelineSteps.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", done ? "done" : "failed"));

    /// <summary>One shared commit of <paramref name="writes"/> writes took <paramref name="elapsed"/>.</summary>
    public void Committed(int writes, TimeSpan elapsed)
    {
        _commitWrites.Record(writes);
        _commitDuration.Record(elapsed.TotalSeconds);
    }

    /// <summary>One batched claim statement carried <paramref name="claims"/> hand-outs.</summary>
    public void ClaimBatch(int claims) => _claimBatch.Record(claims);

    public void Dispose() => _meter.Dispose();
}
