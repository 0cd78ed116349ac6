using CompassCi.Grains.Accounts;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.FairShare;

/// <summary>
/// Merges every silo's usage changes into one picture. Usage is kept decayed to one common time (<see cref="_atMs"/>),
/// written to <c>account_usage</c> every few seconds and on deactivation; a crash loses at most that much usage. Held
/// and queued counts start from the <c>jobs</c> table and follow the silos' reports; a recount corrects a count only
/// when two recounts in a row find the same difference, so a report still on its way is not mistaken for drift.
/// </summary>
public sealed class FairShareGrain(
    FairShareStore store,
    AccountStore accountRows,
    IOptions<FairShareOptions> options,
    IOptions<QuotaOptions> quotas,
    TimeProvider clock,
    ILogger<FairShareGrain> logger)
    : Grain, IFairShareGrain
{
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private Dictionary<string, int> _suspectedDrift = new(StringComparer.Ordinal);
    private Dictionary<string, int> _suspectedQueuedDrift = new(StringComparer.Ordinal);
    private long _atMs;
    private double _jobUsageSum;
    private double _jobs;
    private bool _dirty;

    private FairShareOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _atMs = Now();
        foreach (var (account, usage, at) in await store.ReadUsageAsync())
        {
            Account(account).Usage = FairShareMath.Decay(usage, at, _atMs, Options.HalfLife);
        }

        if (await store.ReadJobLengthAsync() is { } length)
        {
            var factor = FairShareMath.Factor(_atMs - length.AtMs, Options.HalfLife);
            _jobUsageSum = length.UsageSum * factor;
            _jobs = length.Jobs * factor;
        }

        await ReadAccountsAsync();
        foreach (var (account, held) in await store.CountHeldAsync())
        {
            Account(account).Held = held;
        }

        foreach (var (account, queued) in await store.CountQueuedAsync())
        {
            Account(account).Queued = queued;
        }

        logger.LogInformation("Fair share starts with {Accounts} accounts", _accounts.Count);
        this.RegisterGrainTimer(PersistAsync, new GrainTimerCreationOptions(Options.PersistInterval, Options.PersistInterval) { KeepAlive = true });
        this.RegisterGrainTimer(RecountAsync, new GrainTimerCreationOptions(Options.RecountInterval, Options.RecountInterval) { KeepAlive = true });
        this.RegisterGrainTimer(RecountQueuedAsync, new GrainTimerCreationOptions(Options.QueuedRecountInterval, Options.QueuedRecountInterval) { KeepAlive = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await PersistAsync(cancellationToken);
    }

    public Task<FairSharePicture> Exchange(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        DecayTo(Now());
        if (!_lastSequence.TryGetValue(report.Silo, out var last) || report.Sequence > last)
        {
            _lastSequence[report.Silo] = report.Sequence;
            foreach (var delta in report.Deltas)
            {
                var account = Account(delta.Account);
                account.Held += delta.HeldChange;
                account.Queued += delta.QueuedChange;
                account.Usage += delta.Usage;
                _jobUsageSum += delta.FinishedUsage;
                _jobs += delta.Finished;
                _dirty |= delta.Usage != 0 || delta.Finished != 0;
            }
        }

        return Task.FromResult(Picture());
    }

    public Task AccountsChanged() => ReadAccountsAsync();

    private FairSharePicture Picture()
    {
        var mean = _jobs > 0 ? _jobUsageSum / _jobs : Options.AssumedJobLength.TotalSeconds;
        var accounts = new Dictionary<string, AccountStanding>(_accounts.Count, StringComparer.Ordinal);
        foreach (var (name, a) in _accounts)
        {
            accounts[name] = new AccountStanding(name, a.Shares, a.Usage, Math.Max(a.Held, 0), a.RunningLimit ?? quotas.Value.MaxRunning, a.Registered, Math.Max(a.Queued, 0));
        }

        return new FairSharePicture(_atMs, mean, accounts, quotas.Value.MaxRunning);
    }

    private async Task ReadAccountsAsync()
    {
        var rows = (await accountRows.ListAsync()).Select(r => (r.Account, r.Shares, r.RunningLimit)).ToList();
        var registered = rows.Select(r => r.Account).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, state) in _accounts)
        {
            if (!registered.Contains(name))
            {
                // Deleted (or never there): back to the open-mode defaults.
                state.Shares = 1;
                state.RunningLimit = null;
                state.Registered = false;
            }
        }

        foreach (var (name, shares, limit) in rows)
        {
            var state = Account(name);
            state.Shares = Math.Max(shares, 1);
            state.RunningLimit = limit;
            state.Registered = true;
        }
    }

    private async Task PersistAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            DecayTo(Now());
            _dirty = false;
            await store.SaveUsageAsync([.. _accounts.Where(a => a.Value.Usage > 0).Select(a => (a.Key, a.Value.Usage))], _atMs);
            await store.SaveJobLengthAsync(_jobUsageSum, _jobs, _atMs);
        }
        catch (Exception error)
        {
            _dirty = true;
            logger.LogWarning(error, "Fair share could not save usage; trying again");
        }
    }

    private async Task RecountAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Shares and caps too: an account change whose notice was lost (its silo died just after the write) is read here.
            await ReadAccountsAsync();
            _suspectedDrift = Correct("held", await store.CountHeldAsync(), a => a.Held, (a, d) => a.Held += d, _suspectedDrift);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Fair share could not count held jobs");
        }
    }

    private async Task RecountQueuedAsync(CancellationToken cancellationToken)
    {
        try
        {
            _suspectedQueuedDrift = Correct("queued", await store.CountQueuedAsync(), a => a.Queued, (a, d) => a.Queued += d, _suspectedQueuedDrift);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Fair share could not count queued jobs");
        }
    }

    /// <summary>
    /// Compares one count with the table's: a difference seen twice in a row is drift (a silo died before reporting) and
    /// is corrected; seen once, it may be a report on its way. Answers the differences to check next time.
    /// </summary>
    private Dictionary<string, int> Correct(
        string what, List<(string Account, int Count)> table, Func<AccountState, int> read, Action<AccountState, int> add, Dictionary<string, int> suspected)
    {
        var counted = table.ToDictionary(c => c.Account, c => c.Count, StringComparer.Ordinal);
        var drift = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in _accounts.Keys.Union(counted.Keys, StringComparer.Ordinal).ToList())
        {
            var difference = counted.GetValueOrDefault(name) - read(Account(name));
            if (difference == 0)
            {
                continue;
            }

            if (suspected.GetValueOrDefault(name) == difference)
            {
                logger.LogInformation("Fair share corrects account {Account}'s {What} jobs by {Difference}", name, what, difference);
                add(Account(name), difference);
            }
            else
            {
                drift[name] = difference;
            }
        }

        return drift;
    }

    /// <summary>Brings every usage and the job-length average to <paramref name="nowMs"/>; one factor serves them all.</summary>
    private void DecayTo(long nowMs)
    {
        if (nowMs <= _atMs)
        {
            return;
        }

        var factor = FairShareMath.Factor(nowMs - _atMs, Options.HalfLife);
        foreach (var account in _accounts.Values)
        {
            account.Usage *= factor;
        }

        _jobUsageSum *= factor;
        _jobs *= factor;
        _atMs = nowMs;
    }

    private AccountState Account(string name)
    {
        if (!_accounts.TryGetValue(name, out var state))
        {
            state = new AccountState();
            _accounts[name] = state;
        }

        return state;
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class AccountState
    {
        public int Shares { get; set; } = 1;

        public int? RunningLimit { get; set; }

        public bool Registered { get; set; }

        public double Usage { get; set; }

        public int Held { get; set; }

        public int Queued { get; set; }
    }
}
