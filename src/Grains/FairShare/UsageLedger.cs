using CompassCi.Grains.Accounts;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.FairShare;

/// <summary>
/// This silo's view of fair-share: the merged picture from <see cref="IFairShareGrain"/> plus what this silo saw since
/// (jobs that became held or ended here, claims in flight in its queues). Queues rank accounts from it without any SQL
/// or grain call per claim; <see cref="UsageExchange"/> trades the local changes for a fresh picture every ~100 ms.
/// Counting this silo's claims in flight makes a running cap exact within the silo.
/// </summary>
public sealed class UsageLedger : IAccountRanks
{
    private readonly Lock _gate = new();
    private readonly FairShareOptions _options;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, Change> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Change> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _claiming = new(StringComparer.Ordinal);
    private readonly string _silo = Guid.NewGuid().ToString("N");
    private TaskCompletionSource _slotFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FairSharePicture _picture;
    private UsageReport? _outstanding;
    private long _sequence;

    public UsageLedger(IOptions<FairShareOptions> options, IOptions<QuotaOptions> quotas, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(quotas);
        _options = options.Value;
        _clock = clock;
        _picture = FairSharePicture.Empty(_options.AssumedJobLength.TotalSeconds, quotas.Value.MaxRunning);
    }

    /// <inheritdoc/>
    public bool Enabled => _options.Enabled;

    /// <summary>True when there are changes the fair-share grain has not confirmed.</summary>
    public bool HasChanges
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0 || _outstanding is not null;
            }
        }
    }

    /// <summary>
    /// Records a job's written change: entering a held stage (boot … renew) starts it; leaving one ends it and adds its
    /// machine time, from boot to its finish time (or now, when it went back to its queue). Entering or leaving the
    /// queue (stage submit) counts for quotas, as does a <paramref name="successor"/> (a rescheduled attempt) queued by
    /// the same write.
    /// </summary>
    public void Record(JobRecord before, JobRecord after, JobRecord? successor = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var queuedChange = (after.Stage == JobStages.Submit ? 1 : 0) - (before.Stage == JobStages.Submit ? 1 : 0);
        if (queuedChange != 0)
        {
            Queued(after.Account, queuedChange);
        }

        if (successor is { Stage: JobStages.Submit })
        {
            Queued(successor.Account, 1);
        }

        var wasHeld = JobStages.IsActive(before.Stage);
        var isHeld = JobStages.IsActive(after.Stage);
        if (wasHeld == isHeld)
        {
            return;
        }

        if (isHeld)
        {
            Add(after.Account, held: 1, usage: 0, finished: false);
            return;
        }

        var endMs = after.FinishTime ?? _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var seconds = (endMs - (before.BootTime ?? endMs)) / 1000.0;
        Add(after.Account, held: -1, FairShareMath.JobUsage(seconds, after.MemoryMb, _options.WeightByMemory), finished: after.Stage == JobStages.Finish);
        if (CapOf(after.Account) is not null)
        {
            SignalSlotFreed();
        }
    }

    /// <summary>Jobs of <paramref name="account"/> were added to the queues (a submit's insert), or left them (negative).</summary>
    public void Queued(string account, int count)
    {
        lock (_gate)
        {
            var change = _pending.GetValueOrDefault(account);
            _pending[account] = change with { Queued = change.Queued + count };
        }
    }

    /// <summary>The account's queued jobs as this silo knows them: the merged picture and this silo's changes since.</summary>
    public int QueuedOf(string account)
    {
        lock (_gate)
        {
            return Standing(account, _picture.AtMs).Queued;
        }
    }

    /// <summary>
    /// Completes when an account with a running cap may have dropped below it (a held job of it ended here, or the
    /// merged picture shows fewer held): testboxes waiting only because of a cap look again. Take it before looking at
    /// the queues, so a slot freed in between is not missed.
    /// </summary>
    public Task SlotFreed
    {
        get
        {
            lock (_gate)
            {
                return _slotFreed.Task;
            }
        }
    }

    /// <summary>A queue is about to hand out one of the account's jobs: it counts as held until <see cref="EndClaim"/>.</summary>
    public void BeginClaim(string account)
    {
        lock (_gate)
        {
            _claiming[account] = _claiming.GetValueOrDefault(account) + 1;
        }
    }

    /// <summary>The claim is over; a job it handed out is now counted by <see cref="Record"/>.</summary>
    public void EndClaim(string account)
    {
        lock (_gate)
        {
            var left = _claiming.GetValueOrDefault(account) - 1;
            if (left > 0)
            {
                _claiming[account] = left;
            }
            else
            {
                _claiming.Remove(account);
            }
        }
    }

    /// <inheritdoc/>
    public double Rank(string account)
    {
        lock (_gate)
        {
            var now = Standing(account, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            return FairShareMath.Rank(now.Usage, now.Held, _claiming.GetValueOrDefault(account), _picture.MeanJobUsage, now.Shares);
        }
    }

    /// <inheritdoc/>
    public bool AtCap(string account) => CapOf(account) is { } cap && cap.Held >= cap.Cap;

    /// <summary>The account's running cap and the jobs it holds or is being handed now; null when it has no cap.</summary>
    public (int Held, int Cap)? CapOf(string account)
    {
        lock (_gate)
        {
            var standing = Standing(account, _picture.AtMs);
            return standing.RunningCap is { } cap ? (standing.Held + _claiming.GetValueOrDefault(account), cap) : null;
        }
    }

    /// <summary>Every account this silo knows of, with this silo's changes applied and usage decayed to now.</summary>
    public (IReadOnlyList<AccountStanding> Accounts, double MeanJobUsage) Current()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var names = _picture.Accounts.Keys.Concat(_pending.Keys).Concat(_sent.Keys).Distinct(StringComparer.Ordinal);
            return ([.. names.Select(name => Standing(name, now))], _picture.MeanJobUsage);
        }
    }

    /// <summary>The report to send now: the one whose answer was lost, else this silo's changes (possibly none).</summary>
    public UsageReport TakeReport()
    {
        lock (_gate)
        {
            if (_outstanding is null)
            {
                _outstanding = new UsageReport(_silo, ++_sequence,
                    [.. _pending.Select(p => new UsageDelta(p.Key, p.Value.Held, p.Value.Usage, p.Value.Finished, p.Value.FinishedUsage, p.Value.Queued))]);
                foreach (var (account, change) in _pending)
                {
                    _sent[account] = change;
                }

                _pending.Clear();
            }

            return _outstanding;
        }
    }

    /// <summary>The grain merged the outstanding report: its picture now includes those changes.</summary>
    public void Accept(FairSharePicture picture)
    {
        lock (_gate)
        {
            var freed = picture.Accounts.Values.Any(a => a.RunningCap is not null && a.Held < (_picture.Accounts.GetValueOrDefault(a.Account)?.Held ?? 0));
            _picture = picture;
            _outstanding = null;
            _sent.Clear();
            if (freed)
            {
                SignalSlotFreed();
            }
        }
    }

    private void SignalSlotFreed()
    {
        lock (_gate)
        {
            var freed = _slotFreed;
            _slotFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            freed.TrySetResult();
        }
    }

    private void Add(string account, int held, double usage, bool finished)
    {
        lock (_gate)
        {
            var change = _pending.GetValueOrDefault(account);
            _pending[account] = change with
            {
                Held = change.Held + held,
                Usage = change.Usage + usage,
                Finished = change.Finished + (finished ? 1 : 0),
                FinishedUsage = change.FinishedUsage + (finished ? usage : 0),
            };
        }
    }

    /// <summary>The picture's standing of the account with the unconfirmed changes added, usage decayed to <paramref name="nowMs"/>.</summary>
    private AccountStanding Standing(string account, long nowMs)
    {
        var known = _picture.Accounts.GetValueOrDefault(account);
        var usage = known is null ? 0 : FairShareMath.Decay(known.Usage, _picture.AtMs, nowMs, _options.HalfLife);
        var held = known?.Held ?? 0;
        var queued = known?.Queued ?? 0;
        if (_sent.TryGetValue(account, out var sent))
        {
            usage += sent.Usage;
            held += sent.Held;
            queued += sent.Queued;
        }

        if (_pending.TryGetValue(account, out var pending))
        {
            usage += pending.Usage;
            held += pending.Held;
            queued += pending.Queued;
        }

        return new AccountStanding(account, known?.Shares ?? 1, usage, Math.Max(held, 0), known?.RunningCap ?? _picture.DefaultRunningCap, known?.Registered ?? false, Math.Max(queued, 0));
    }

    private readonly record struct Change(int Held, double Usage, int Finished, double FinishedUsage, int Queued);
}
