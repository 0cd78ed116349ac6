using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Jobs;

/// <summary>
/// One job. Its state is its <c>jobs</c> row, read on activation; every change is a single conditional
/// write on the row's version, so a stale or duplicate activation can never overwrite a newer truth.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class JobGrain(JobStore store, TimeProvider clock, ILogger<JobGrain> logger)
    : Grain, IJobGrain
{
    private JobRecord? _job;
    private bool _loaded;

    private long Id => long.TryParse(this.GetPrimaryKeyString(), out var id) ? id : 0;

    public async Task<JobRecord?> Get()
    {
        await EnsureLoadedAsync();
        return _job;
    }

    public async Task<AssignOutcome> Assign(string testbox, string leaseId, int attempt)
    {
        await EnsureLoadedAsync();
        for (var round = 0; round < 2; round++)
        {
            if (_job is null)
            {
                return new AssignOutcome(null, "no such job");
            }

            if (_job.Stage != JobStages.Submit)
            {
                return _job.LeaseId == leaseId && _job.Testbox == testbox
                    ? new AssignOutcome(_job, null)
                    : new AssignOutcome(null, $"job is in stage {_job.Stage}");
            }

            var assigned = _job with
            {
                Stage = JobStages.Boot,
                Testbox = testbox,
                LeaseId = leaseId,
                BootTime = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                Version = _job.Version + 1,
            };
            var before = _job;
            if (await store.AssignAsync(assigned, _job.Version, attempt))
            {
                _job = assigned;
                logger.LogDebug("Job {JobId} assigned to {Testbox}", assigned.Id, testbox);
                return new AssignOutcome(assigned, null);
            }

            // The row moved under us (another activation, or our own commit whose answer was lost): re-read and decide again.
            await ReloadAsync();
            if (attempt > 0 && _job is not null && _job.Version == before.Version)
            {
                // Nothing changed the job, so the fence refused: a retry of this consume request replaced it.
                return new AssignOutcome(null, "consume request superseded by a retry", Superseded: true);
            }
        }

        return new AssignOutcome(null, "job changed concurrently");
    }

    public async Task<bool> Release(string leaseId)
    {
        await EnsureLoadedAsync();
        if (_job is null || _job.Stage != JobStages.Boot || _job.LeaseId != leaseId)
        {
            return false;
        }

        var requestedTestbox = JsonNode.Parse(_job.Document)?["testbox"]?.GetValue<string>();
        var released = _job with { Stage = JobStages.Submit, Testbox = requestedTestbox, LeaseId = null, BootTime = null, Version = _job.Version + 1 };
        if (!await store.UpdateAsync(released, _job.Version))
        {
            await ReloadAsync();
            return false;
        }

        _job = released;
        await GrainFactory.GetGrain<IQueueGrain>(released.QueueKey).Enqueue(ToPending(released));
        return true;
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        _job = Id > 0 ? await store.GetAsync(Id) : null;
        _loaded = true;
    }

    private static PendingJob ToPending(JobRecord job) => new(job.Id, job.Priority, job.SubmitTime, job.MemoryMb, job.Account);
}
