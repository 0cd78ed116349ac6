namespace CompassCi.LoadGenerator;

/// <summary>
/// The hot loops (submit, consume, long poll) each run on a thread of their own and block in their socket calls
/// (<see cref="KeepAliveConnection"/>): one kernel wake-up per answer, where async I/O costs an event-loop wake-up
/// plus a hand-over to a pool thread. A few hundred mostly sleeping threads cost less than those hand-overs.
/// </summary>
public static class LoopThreads
{
    /// <summary>Starts <paramref name="loop"/> on a new thread; the task completes with its result.</summary>
    public static Task<T> Start<T>(Func<T> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <inheritdoc cref="Start{T}(Func{T})"/>
    public static Task Start(Action loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Sleeps for <paramref name="delay"/>; as Task.Delay would, throws OperationCanceledException if <paramref name="token"/> is cancelled first.</summary>
    public static void Pause(TimeSpan delay, CancellationToken token)
    {
        if (token.WaitHandle.WaitOne(delay))
        {
            throw new OperationCanceledException(token);
        }
    }
}
