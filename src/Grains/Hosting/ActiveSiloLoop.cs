namespace CompassCi.Grains.Hosting;

/// <summary>
/// A background loop that calls grains, run for exactly as long as the silo is active.
/// </summary>
/// <remarks>
/// As a hosted service such a loop would outlive the silo's stop (hosted services stop after the silo when registered
/// before it) and call grains of a silo that already refuses them — a logged failure on every graceful stop. Tied to the
/// silo's <see cref="ServiceLifecycleStage.Active"/> stage instead, it starts once the silo has joined the cluster and is
/// stopped first thing when the silo stops, while grain calls still work; <see cref="OnStoppedAsync"/> runs then too.
/// </remarks>
public abstract class ActiveSiloLoop : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>The loop; it ends when <paramref name="stopping"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    /// <summary>Work for the silo's stop, after the loop has ended and while grain calls still work.</summary>
    protected virtual Task OnStoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunUntilStoppedAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
        await OnStoppedAsync(cancellationToken);
    }

    private async Task RunUntilStoppedAsync(CancellationToken stopping)
    {
        try
        {
            await RunAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while waiting for its next turn.
        }
    }
}
