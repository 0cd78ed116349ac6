using System.Diagnostics.Metrics;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Hosting;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// The scheduler's gauges. Queue depth and age come from this silo's queues in memory (<see cref="QueueLoads"/>); the
/// per-account figures from the fair-share ledger's merged picture; the lab-wide counts (testboxes by state,
/// quarantined hosts, the outbox backlog) from the database, read every <see cref="LabInterval"/> by a loop rather than
/// by each scrape, so scrapes stay free however often they come. Every silo reports the lab-wide and account figures:
/// dashboards take their <c>max</c>.
/// </summary>
public sealed class SchedulerGauges : ActiveSiloLoop
{
    /// <summary>How stale the lab-wide counts may be.</summary>
    public static readonly TimeSpan LabInterval = TimeSpan.FromSeconds(15);

    private readonly QueueLoads _queues;
    private readonly UsageLedger _ledger;
    private readonly TestboxRegistry _testboxes;
    private readonly HostStore _hosts;
    private readonly JobEffectStore _effects;
    private readonly TimeProvider _clock;
    private readonly ILogger<SchedulerGauges> _logger;
    private volatile LabCounts? _lab;

    public SchedulerGauges(
        SchedulerMetrics metrics,
        QueueLoads queues,
        UsageLedger ledger,
        TestboxRegistry testboxes,
        HostStore hosts,
        JobEffectStore effects,
        TimeProvider clock,
        ILogger<SchedulerGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        (_queues, _ledger, _testboxes, _hosts, _effects, _clock, _logger) = (queues, ledger, testboxes, hosts, effects, clock, logger);
        var meter = metrics.Meter;
        meter.CreateObservableGauge("compassci.queue.pending", QueuePending, "{job}", "Pending jobs per queue key, reported by the silo that hosts the queue.");
        meter.CreateObservableGauge("compassci.queue.oldest_age", QueueOldestAge, "s", "Age of the oldest pending job per queue key (refreshed every few seconds).");
        meter.CreateObservableGauge("compassci.account.pending", () => Accounts(a => a.Queued), "{job}", "Queued jobs per account (fair-share picture).");
        meter.CreateObservableGauge("compassci.account.running", () => Accounts(a => a.Held), "{job}", "Jobs held by testboxes per account (fair-share picture).");
        meter.CreateObservableGauge("compassci.account.shares", () => Accounts(a => a.Shares), "{share}", "Fair-share shares per account.");
        meter.CreateObservableGauge("compassci.account.usage", () => Accounts(a => a.Usage), "s", "Decayed machine-seconds of fair-share usage per account.");
        meter.CreateObservableGauge("compassci.testboxes", TestboxesByState, "{testbox}", "Testboxes seen recently, by state.");
        meter.CreateObservableGauge("compassci.hosts.quarantined", () => Lab(l => l.QuarantinedHosts), "{host}", "Hosts in quarantine.");
        meter.CreateObservableGauge("compassci.outbox.backlog", () => Lab(l => l.OutboxBacklog), "{effect}", "Job effects recorded and not yet delivered.");
    }

    protected override async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(LabInterval, _clock);
        do
        {
            try
            {
                var testboxes = await _testboxes.CountByStateAsync();
                var quarantined = (await _hosts.ListQuarantinedAsync()).Count;
                var backlog = await _effects.CountUndeliveredAsync();
                _lab = new LabCounts(
                    testboxes,
                    quarantined,
                    backlog);
            }
            catch (Exception error)
            {
                // The gauges keep their last counts; a database that is away shows elsewhere.
                _logger.LogDebug(error, "Could not read the lab-wide counts; keeping the last ones");
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    private IEnumerable<Measurement<int>> QueuePending() =>
        _queues.Current.Select(q => new Measurement<int>(q.Value.Pending, new KeyValuePair<string, object?>("queue", q.Key)));

    private IEnumerable<Measurement<double>> QueueOldestAge()
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        return _queues.Current.Select(q => new Measurement<double>(
            q.Value.OldestSubmitTime is { } oldest ? Math.Max(0, now - oldest) / 1000.0 : 0,
            new KeyValuePair<string, object?>("queue", q.Key)));
    }

    private IEnumerable<Measurement<double>> Accounts(Func<AccountStanding, double> value) =>
        _ledger.Current().Accounts.Select(a => new Measurement<double>(value(a), new KeyValuePair<string, object?>("account", a.Account)));

    private IEnumerable<Measurement<int>> TestboxesByState() =>
        _lab is { } lab ? lab.TestboxesByState.Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("state", s.Key))) : [];

    private IEnumerable<Measurement<long>> Lab(Func<LabCounts, long> value) =>
        _lab is { } lab ? [new Measurement<long>(value(lab))] : [];

    private sealed record LabCounts(Dictionary<string, int> TestboxesByState, long QuarantinedHosts, long OutboxBacklog);
}
