using System.Globalization;

using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// One cluster's barrier. Reentrant so that waiting nodes never block reporting ones; changes are serialised by a
/// lock and each is saved (version-checked) before it is applied in memory and announced, so a barrier that moves
/// to another silo after a crash resumes from exactly what its waiters were told.
/// </summary>
[Reentrant, Orleans.Placement.PreferLocalPlacement]
public sealed class ClusterBarrierGrain(ClusterStore store, Telemetry.SchedulerMetrics metrics, TimeProvider clock, ILogger<ClusterBarrierGrain> logger)
    : Grain, IClusterBarrierGrain
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterRecord? _record;
    private int _version;
    private bool _loaded;

    private long Id => long.TryParse(this.GetPrimaryKeyString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    private string Key => this.GetPrimaryKeyString();

    public async Task<ClusterSnapshot?> Get()
    {
        await EnsureLoadedAsync();
        return _record?.ToSnapshot(Key);
    }

    public async Task<ClusterReply> WriteState(string jobId, string? roles, string? ip, string? directMacs, string? directIps)
    {
        var applied = await ChangeAsync(record =>
        {
            if (record.Barrier.WriteState(jobId, roles, ip, directMacs, directIps) == BarrierUpdate.UnknownJob)
            {
                return false;
            }

            var node = record.Barrier.Find(jobId)!;
            record.Record(Now(), jobId, node.Node, "write_state", $"roles={string.Join('+', node.Roles)} ip={node.Ip} direct_ips={node.DirectIps}");
            return true;
        });
        return Reply(applied, word: null);
    }

    public async Task<ClusterReply> Reach(string jobId, int target, TimeSpan maxWait)
    {
        var started = clock.GetTimestamp();
        var barrier = (BarrierTarget)target;
        var applied = await ChangeAsync(record =>
        {
            var before = record.Barrier.Find(jobId);
            if (before is null || record.Barrier.Reach(jobId, barrier) == BarrierUpdate.UnknownJob)
            {
                return false;
            }

            var after = record.Barrier.Find(jobId)!;
            if (after.State != before.State)
            {
                record.Record(Now(), jobId, after.Node, after.State);
            }

            if (record.StartDeadline is not null && record.AllStarted)
            {
                record.StartDeadline = null;
            }

            return true;
        });
        if (!applied)
        {
            return Reply(false, null);
        }

        await WaitUntilAsync(() => Word(barrier) != ClusterSyncWords.Retry, maxWait);
        var word = Word(barrier);
        metrics.BarrierWaited(word == ClusterSyncWords.Retry ? "retry" : word == ClusterSyncWords.Abort ? "abort" : "reached", clock.GetElapsedTime(started));
        return Reply(true, word);
    }

    public async Task<ClusterReply> Abort(string jobId, string reason)
    {
        var applied = await ChangeAsync(record =>
        {
            if (record.Barrier.Find(jobId) is not { } node || record.Barrier.Abort(jobId) == BarrierUpdate.UnknownJob)
            {
                return false;
            }

            record.Record(Now(), jobId, node.Node, ClusterNodeStates.Abort, reason);
            AbortCluster(record, $"node {node.Node} (job {jobId}) {reason}");
            return true;
        });
        if (applied)
        {
            // The node that failed finishes its own job (lkp's client does); every other node is stopped.
            await CloseNodeJobsAsync(except: jobId);
        }

        return Reply(applied, applied ? ClusterSyncWords.Abort : null);
    }

    public async Task<ClusterChanges> Changes(int afterSeq, TimeSpan maxWait)
    {
        await EnsureLoadedAsync();
        await WaitUntilAsync(() => _record is null || _record.Outcome != ClusterOutcomes.Active || _record.Changes.Count > afterSeq, maxWait);
        return _record is null
            ? new ClusterChanges([], ClusterOutcomes.Aborted, Unknown: true)
            : new ClusterChanges([.. _record.Changes.Where(c => c.Seq > afterSeq)], _record.Outcome, Unknown: false);
    }

    /// <summary>
    /// Waits, without blocking the grain, until <paramref name="done"/> holds or <paramref name="maxWait"/> passes. The
    /// change signal is taken before the check, so a change between the two is never missed.
    /// </summary>
    private async Task WaitUntilAsync(Func<bool> done, TimeSpan maxWait)
    {
        var until = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var changed = _changed.Task;
            var remaining = until - clock.GetUtcNow();
            if (done() || remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.WhenAny(changed, Task.Delay(remaining, clock));
        }
    }

    public async Task Reconcile()
    {
        await EnsureLoadedAsync();
        if (_record is null || _record.Outcome == ClusterOutcomes.Finished)
        {
            return;
        }

        var jobs = await store.ListNodeJobsAsync(Id);
        await ChangeAsync(record =>
        {
            if (record.Outcome != ClusterOutcomes.Active)
            {
                return false;
            }

            if (jobs.FirstOrDefault(j => j.CancelRequested || (j.Stage == JobStages.Finish && j.Health is not (JobHealth.Success or JobHealth.Abort))) is { } bad)
            {
                var why = bad.Stage == JobStages.Finish ? $"ended with health {bad.Health}" : "was cancelled";
                var node = record.Barrier.Find(Text(bad.Id))?.Node ?? Text(bad.Id);
                AbortCluster(record, $"node {node} (job {bad.Id}) {why}");
                return true;
            }

            if (record.StartDeadline is { } deadline && deadline < Now() && !record.AllStarted)
            {
                var waiting = record.Barrier.Nodes.Where(n => ClusterNodeStates.Rank(n.State) < (int)BarrierTarget.Start).Select(n => n.Node);
                AbortCluster(record, $"not every node started within the start timeout; still missing: {string.Join(", ", waiting)}");
                return true;
            }

            if (jobs.Count > 0 && jobs.TrueForAll(j => j.Stage == JobStages.Finish && j.Health == JobHealth.Success))
            {
                record.Outcome = ClusterOutcomes.Finished;
                record.StartDeadline = null;
                record.Record(Now(), Key, string.Empty, ClusterOutcomes.Finished);
                return true;
            }

            return false;
        });

        if (_record?.Outcome == ClusterOutcomes.Aborted && jobs.Exists(j => j.Stage != JobStages.Finish))
        {
            await CloseNodeJobsAsync(except: null);
        }
    }

    /// <summary>Tells every unfinished node job the cluster is over: it ends with health <c>abort</c> and its testbox is freed.</summary>
    private async Task CloseNodeJobsAsync(string? except)
    {
        var reason = _record?.AbortReason ?? "the cluster aborted";
        foreach (var node in (_record?.Barrier.Nodes ?? []).Where(n => n.JobId != except))
        {
            try
            {
                await GrainFactory.GetGrain<IJobGrain>(node.JobId).CloseForCluster(reason);
            }
            catch (Exception error)
            {
                // The sweeper's reconcile finds the node job still open and closes it next time.
                logger.LogWarning(error, "Cluster {ClusterId}: node job {JobId} not closed yet", Key, node.JobId);
            }
        }
    }

    private static void AbortCluster(ClusterRecord record, string reason)
    {
        if (record.Outcome != ClusterOutcomes.Active)
        {
            return;
        }

        record.Outcome = ClusterOutcomes.Aborted;
        record.AbortReason = reason;
        record.StartDeadline = null;
        record.Record(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), record.Barrier.ClusterId, string.Empty, ClusterOutcomes.Aborted, reason);
    }

    private string Word(BarrierTarget target) =>
        _record is null ? ClusterSyncWords.Abort
        : _record.Outcome == ClusterOutcomes.Aborted ? ClusterSyncWords.Abort
        : ClusterSyncWords.Answer(_record.Barrier.Evaluate(target), target);

    private ClusterReply Reply(bool applied, string? word) =>
        new(applied ? word : null, !applied, _record?.ToSnapshot(Key));

    /// <summary>
    /// Applies <paramref name="change"/> to a copy, saves the copy, and only then makes it current and wakes the
    /// waiters. False, with nothing saved, when the change does not apply (unknown cluster or node, nothing to do).
    /// </summary>
    private async Task<bool> ChangeAsync(Func<ClusterRecord, bool> change)
    {
        await _writeLock.WaitAsync();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                await EnsureLoadedAsync();
                if (_record is null)
                {
                    return false;
                }

                var next = _record.Copy();
                if (!change(next))
                {
                    return false;
                }

                if (await store.SaveAsync(Id, _version, next.Outcome, next.StartDeadline, next.ToJson()))
                {
                    if (next.Outcome == ClusterOutcomes.Aborted && _record.Outcome != ClusterOutcomes.Aborted)
                    {
                        metrics.ClusterAborted();
                    }

                    _record = next;
                    _version++;
                    var woken = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    woken.TrySetResult();
                    return true;
                }

                // Another activation wrote first (a membership change can briefly leave two): read it and decide again.
                _loaded = false;
            }

            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task EnsureLoadedAsync()
    {
        if (_loaded)
        {
            return;
        }

        var row = Id > 0 ? await store.LoadAsync(Id) : null;
        (_record, _version) = row is { } r ? (ClusterRecord.FromJson(r.State), r.Version) : (null, 0);
        _loaded = true;
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
