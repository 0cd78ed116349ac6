namespace CompassCi.Silo.Hosting;

/// <summary>
/// Runs the application until it is told to stop (SIGTERM, Ctrl-C, a lost database), then gives its stop a bounded time.
/// </summary>
/// <remarks>
/// <see cref="HostOptions.ShutdownTimeout"/> only cancels the token handed to the hosted services; the host still waits
/// for them, and Orleans, with its database stopped or gone, keeps retrying its membership update (measured: still
/// running 60 s after SIGTERM). Past the bound the silo gives up on a graceful stop and returns, so that its private
/// database is stopped and the process exits; the cluster treats it as any other silo that died.
/// </remarks>
public static class BoundedShutdown
{
    /// <summary>The exit code of a silo whose stop took too long and was abandoned (sysexits' EX_SOFTWARE).</summary>
    public const int AbandonedExitCode = 70;

    /// <summary>Time beyond <see cref="HostOptions.ShutdownTimeout"/> for services to notice their cancelled token.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <returns>True when the application stopped within the bound; false when it was abandoned.</returns>
    public static async Task<bool> RunAsync(WebApplication app, TimeSpan shutdownTimeout)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource();
        using (lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()))
        {
            await stopping.Task;
        }

        var stop = app.StopAsync();
        var bound = shutdownTimeout + Grace;
        if (await Task.WhenAny(stop, Task.Delay(bound)) == stop)
        {
            await stop;
            return true;
        }

        app.Logger.LogError("The silo did not stop within {Seconds} s; exiting without waiting for it", bound.TotalSeconds);
        return false;
    }
}
