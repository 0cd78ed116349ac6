using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Queues;

/// <summary>
/// This silo's copy of the queue directory, indexed by tag: for every <c>k=v</c>, the queue keys that
/// require it. A consume counts, per key, how many of its tags the testbox offers; the keys whose every
/// tag is offered are the candidates. A background loop long-polls the directory, so keys registered on
/// any silo show up here at once.
/// </summary>
public sealed class QueueKeyIndex(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<QueueKeyIndex> logger) : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(25);

    private readonly Lock _gate = new();
    // The refresh loop ends when the silo begins to stop: a long-poll of a directory that is shutting down would
    // otherwise hold the stop up and fill the log with placement failures.
    private readonly CancellationTokenSource _stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
    private readonly TagIndex _index = new();
    private long _version = -1;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loaded;

    /// <summary>Version of the directory this copy reflects.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Waits until the first snapshot is here, starting the refresh loop on first use.</summary>
    public Task EnsureLoadedAsync()
    {
        lock (_gate)
        {
            _loaded ??= LoadFirstAsync();
            return _loaded;
        }
    }

    /// <summary>Makes sure the directory (and so every silo) knows this key before a job waits in it.</summary>
    public async Task EnsureRegisteredAsync(string queueKey)
    {
        await EnsureLoadedAsync();
        lock (_gate)
        {
            if (_index.Contains(queueKey))
            {
                return;
            }
        }

        await grains.GetGrain<IQueueDirectoryGrain>(0).Register(queueKey);
        lock (_gate)
        {
            _index.Add(queueKey);
        }
    }

    /// <summary>Every queue key whose tags are all among <paramref name="offered"/>.</summary>
    public List<string> Candidates(IReadOnlyDictionary<string, string> offered)
    {
        lock (_gate)
        {
            return _index.Satisfied(offered);
        }
    }

    /// <summary>All known keys.</summary>
    public List<string> AllKeys()
    {
        lock (_gate)
        {
            return [.. _index.Keys];
        }
    }

    /// <summary>Completes when the set of keys changes after <paramref name="knownVersion"/>.</summary>
    public Task WaitForChangeAsync(long knownVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return knownVersion != _version ? Task.CompletedTask : _changed.Task.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task LoadFirstAsync()
    {
        Apply(await grains.GetGrain<IQueueDirectoryGrain>(0).WaitForChange(-1, TimeSpan.Zero));
        _ = Task.Run(RefreshLoopAsync);
    }

    private async Task RefreshLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                Apply(await grains.GetGrain<IQueueDirectoryGrain>(0).WaitForChange(Version, PollTimeout, _stopping.Token));
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The directory is moving to another silo: ask again shortly.
                logger.LogDebug(error, "Queue directory not reachable; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Apply(QueueKeySnapshot snapshot)
    {
        lock (_gate)
        {
            if (snapshot.Version == _version)
            {
                return;
            }

            // Keys are only ever added, and a new directory activation starts from the table, so merging
            // keeps keys this silo registered that a fresh directory has not seen yet.
            foreach (var key in snapshot.Keys)
            {
                _index.Add(key);
            }

            _version = snapshot.Version;
            var missing = _index.Keys.Except(snapshot.Keys).ToList();
            if (missing.Count > 0)
            {
                // A directory that restarted from the table may lack keys registered just before; tell it again.
                _ = Task.Run(() => ReRegisterAsync(missing));
            }

            var woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            woken.TrySetResult();
        }
    }

    private async Task ReRegisterAsync(List<string> keys)
    {
        try
        {
            foreach (var key in keys)
            {
                await grains.GetGrain<IQueueDirectoryGrain>(0).Register(key);
            }
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "Could not re-register {Count} queue keys", keys.Count);
        }
    }
}
