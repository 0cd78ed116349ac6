using System.Diagnostics.Metrics;
using CompassCi.Grains.Jobs;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// The scheduler's own meter, <c>CompassCi</c>: what happens to jobs, counted where it happens (a submit stored, a
/// landed job change), with low-cardinality attributes only — never a job id. Exported with the framework meters over
/// OTLP and on <c>/metrics</c> (Prometheus: <c>compassci_jobs_submitted_total</c>, …).
/// </summary>
public sealed class SchedulerMetrics : IDisposable
{
    /// <summary>The meter's name, as exporters select it.</summary>
    public const string MeterName = "CompassCi";

    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _handedOut;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _crashes;
    private readonly Counter<long> _rescheduled;

    public SchedulerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _submitted = _meter.CreateCounter<long>("compassci.jobs.submitted", "{job}", "Jobs stored by a submit (each node job of a cluster counts).");
        _handedOut = _meter.CreateCounter<long>("compassci.jobs.consumed", "{job}", "Jobs handed to a testbox (submit → boot), however it asked.");
        _finished = _meter.CreateCounter<long>("compassci.jobs.finished", "{job}", "Jobs that ended, by job_health.");
        _crashes = _meter.CreateCounter<long>("compassci.jobs.crashes", "{job}", "Jobs that ended as a crash, by crash cause and whom it notifies.");
        _rescheduled = _meter.CreateCounter<long>("compassci.jobs.rescheduled", "{job}", "Crashed jobs replaced by a new attempt.");
    }

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
    }

    public void Dispose() => _meter.Dispose();
}
