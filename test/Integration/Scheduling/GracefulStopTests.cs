using System.Diagnostics;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>A stopping silo ends its long-polls at once instead of holding its shutdown for the whole wait.</summary>
public sealed class GracefulStopTests(MariaDbFixture database)
{
    [Fact]
    public async Task Stopping_a_silo_answers_its_waiting_consumers_with_no_job_and_exits_promptly()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("stop");
        await using var silo = await SiloProcess.StartAsync(connectionString, "stop" + Guid.NewGuid().ToString("N")[..6]);
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var waiting = client.ConsumeAsync("vm-stop--0", new Dictionary<string, string>(), 4, waitSeconds: 100, cancellationToken: TestContext.Current.CancellationToken);

        // The scenario: the consumer is a second into its wait when the silo is told to stop.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var stopping = silo.StopAsync();
        var job = await waiting;
        var answered = clock.Elapsed;
        await stopping;

        Assert.Null(job);
        Assert.True(answered < TimeSpan.FromSeconds(10), $"the waiting consumer was answered only after {answered}");
        Assert.True(silo.HasExited);
        // Below the consumer's 100 s wait: the wait did not hold the shutdown.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the silo took {clock.Elapsed} to stop");
        // Nothing kept calling grains of a silo that was shutting down (the queue index's long-poll stops with it).
        var log = silo.Log();
        var firstFailure = log.IndexOf("fail:", StringComparison.Ordinal);
        Assert.True(firstFailure < 0, "the silo logged a failure while stopping:\n" + (firstFailure < 0 ? "" : log[firstFailure..Math.Min(log.Length, firstFailure + 3000)]));
    }
}
