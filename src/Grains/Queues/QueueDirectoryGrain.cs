using CompassCi.Grains.Storage;

namespace CompassCi.Grains.Queues;

/// <summary>
/// The cluster-wide list of queue keys. A cache like the queues: on activation it starts from the keys
/// of the pending jobs in the table. Versions start from the activation time, so a new activation after
/// a failover never repeats a version an earlier one handed out.
/// </summary>
[Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class QueueDirectoryGrain(JobStore store, TimeProvider clock) : Grain, IQueueDirectoryGrain
{
    private readonly List<string> _keys = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;
    private QueueKeySnapshot? _snapshot;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _version = clock.GetUtcNow().ToUnixTimeMilliseconds() << 20;
        foreach (var key in await store.ListPendingQueueKeysAsync())
        {
            AddKey(key);
        }
    }

    public Task<long> Register(string queueKey)
    {
        if (AddKey(queueKey))
        {
            var woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            woken.TrySetResult();
        }

        return Task.FromResult(_version);
    }

    public async Task<QueueKeySnapshot> WaitForChange(long knownVersion, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (knownVersion == _version && timeout > TimeSpan.Zero)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            try
            {
                await _changed.Task.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Timed out or cancelled: answer with what is current.
            }
        }

        return _snapshot ??= new QueueKeySnapshot(_version, _keys.ToArray());
    }

    private bool AddKey(string key)
    {
        if (!_known.Add(key))
        {
            return false;
        }

        _keys.Add(key);
        _version++;
        _snapshot = null;
        return true;
    }
}
