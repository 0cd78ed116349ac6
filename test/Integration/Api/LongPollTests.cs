using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Api;

/// <summary>A waiting testbox gets a job as soon as one arrives, and a testbox that hangs up takes nothing.</summary>
public sealed class LongPollTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task A_waiting_consumer_gets_a_job_submitted_a_second_later_long_before_its_timeout()
    {
        var tbox = "vm-wait-" + Guid.NewGuid().ToString("N")[..6];
        var clock = Stopwatch.StartNew();
        var waiting = fixture.Client.ConsumeAsync($"{tbox}--0", new Dictionary<string, string> { ["arch"] = "aarch64" }, 4, waitSeconds: 30, cancellationToken: TestContext.Current.CancellationToken);

        // The scenario itself: the job arrives one second into the wait (the wait is what is tested).
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        var submitted = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = tbox, ["arch"] = "aarch64" }, TestContext.Current.CancellationToken);
        var job = await waiting;

        Assert.NotNull(job);
        Assert.Equal(submitted["id"]!.GetValue<string>(), job["id"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_waiting_consumer_learns_of_a_queue_key_that_did_not_exist_when_it_began()
    {
        var tbox = "vm-newkey-" + Guid.NewGuid().ToString("N")[..6];
        var clock = Stopwatch.StartNew();
        var waiting = fixture.Client.ConsumeAsync($"{tbox}--0", new Dictionary<string, string> { ["arch"] = "x86_64", ["lab"] = "z9" }, 4, waitSeconds: 30, cancellationToken: TestContext.Current.CancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var submitted = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = tbox, ["tags"] = new JsonObject { ["lab"] = "z9" } }, TestContext.Current.CancellationToken);
        var job = await waiting;

        Assert.Equal(submitted["id"]!.GetValue<string>(), job!["id"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_consumer_that_hangs_up_while_waiting_takes_no_job()
    {
        var tbox = "vm-hangup-" + Guid.NewGuid().ToString("N")[..6];
        using (var impatient = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                fixture.Client.ConsumeAsync($"{tbox}--0", new Dictionary<string, string>(), 4, waitSeconds: 60, cancellationToken: impatient.Token));
        }

        var submitted = await fixture.Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = tbox }, TestContext.Current.CancellationToken);
        var job = await fixture.Client.ConsumeAsync($"{tbox}--1", new Dictionary<string, string>(), 4, waitSeconds: 10, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(submitted["id"]!.GetValue<string>(), job["id"]!.GetValue<string>());
        Assert.Equal($"{tbox}--1", job["testbox"]!.GetValue<string>());
    }
}
