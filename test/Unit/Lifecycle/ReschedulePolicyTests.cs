using CompassCi.Grains.Lifecycle;
using Xunit;

namespace CompassCi.Tests.Unit.Lifecycle;

public class ReschedulePolicyTests
{
    private static readonly ReschedulePolicy Default = new();

    private static CrashReport Crash(string cause, bool fatal = false, string notify = CrashNotify.Lab) =>
        new(notify, cause, fatal, new Dictionary<string, string>());

    [Theory]
    [InlineData("testbox")]
    [InlineData("network")]
    [InlineData("scheduler")]
    [InlineData("unknown")]
    public void ANonFatalCrashNotCausedByTheTaskIsRescheduled(string cause)
    {
        var decision = Default.Decide(Crash(cause), attempt: 1, maxAttempts: 3);

        Assert.True(decision.Reschedule);
        Assert.Equal($"Rescheduled as attempt 2 of 3: attempt 1 crashed with cause {cause}, which is retried (notify lab).", decision.Reason);
    }

    [Fact]
    public void ACrashCausedByTheTaskIsNotRescheduled()
    {
        var decision = Default.Decide(Crash(CrashCause.Task, notify: CrashNotify.Task), attempt: 1, maxAttempts: 3);

        Assert.False(decision.Reschedule);
        Assert.Equal("Not rescheduled: crashes with cause task are not retried because the job itself is at fault and would crash again.", decision.Reason);
    }

    [Theory]
    [InlineData("testbox")]
    [InlineData("network")]
    [InlineData("task")]
    public void AFatalCrashIsNotRescheduled(string cause)
    {
        var decision = Default.Decide(Crash(cause, fatal: true), attempt: 1, maxAttempts: 3);

        Assert.False(decision.Reschedule);
        Assert.Equal($"Not rescheduled: the crash (cause {cause}) is marked fatal, so another attempt would fail the same way.", decision.Reason);
    }

    [Theory]
    [InlineData(1, 3, true)]
    [InlineData(2, 3, true)]
    [InlineData(3, 3, false)]
    [InlineData(4, 3, false)]
    [InlineData(1, 1, false)]
    [InlineData(1, 2, true)]
    [InlineData(2, 2, false)]
    [InlineData(9, 10, true)]
    public void AttemptsRunOutAtMaxAttempts(int attempt, int maxAttempts, bool reschedule)
    {
        Assert.Equal(reschedule, Default.Decide(Crash(CrashCause.Testbox), attempt, maxAttempts).Reschedule);
    }

    [Fact]
    public void TheLastAttemptSaysSo()
    {
        Assert.Equal(
            "Not rescheduled: attempt 3 of 3 crashed (cause network) and no attempts remain.",
            Default.Decide(Crash(CrashCause.Network), attempt: 3, maxAttempts: 3).Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void MaxAttemptsZeroTurnsReschedulingOff(int attempt)
    {
        var decision = Default.Decide(Crash(CrashCause.Testbox), attempt, maxAttempts: 0);

        Assert.False(decision.Reschedule);
        Assert.Equal("Not rescheduled: automatic rescheduling is off for this job (max_attempts is 0).", decision.Reason);
    }

    [Fact]
    public void TheFirstRuleThatStopsTheRetryIsTheOneReported()
    {
        // Off beats fatal, fatal beats cause, cause beats exhausted attempts.
        Assert.Contains("max_attempts is 0", Default.Decide(Crash(CrashCause.Task, fatal: true), 3, 0).Reason, StringComparison.Ordinal);
        Assert.Contains("marked fatal", Default.Decide(Crash(CrashCause.Task, fatal: true), 3, 3).Reason, StringComparison.Ordinal);
        Assert.Contains("cause task are not retried", Default.Decide(Crash(CrashCause.Task), 3, 3).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultMaxAttemptsIsThree()
    {
        Assert.Equal(3, Default.MaxAttempts);
        Assert.True(Default.Decide(Crash(CrashCause.Testbox), attempt: 2).Reschedule);
        Assert.False(Default.Decide(Crash(CrashCause.Testbox), attempt: 3).Reschedule);
    }

    [Fact]
    public void TheConfiguredMaxAttemptsApplies()
    {
        var policy = new ReschedulePolicy(new ReschedulePolicyOptions { MaxAttempts = 5 });

        Assert.True(policy.Decide(Crash(CrashCause.Testbox), attempt: 4).Reschedule);
        Assert.False(policy.Decide(Crash(CrashCause.Testbox), attempt: 5).Reschedule);
        // A job's own max_attempts still wins over the configured one.
        Assert.False(policy.Decide(Crash(CrashCause.Testbox), attempt: 2, maxAttempts: 2).Reschedule);
    }

    [Fact]
    public void ACauseCanBeTurnedOff()
    {
        var options = new ReschedulePolicyOptions();
        options.RescheduleByCause[CrashCause.Network] = false;
        var policy = new ReschedulePolicy(options);

        var decision = policy.Decide(Crash(CrashCause.Network), attempt: 1, maxAttempts: 3);

        Assert.False(decision.Reschedule);
        Assert.Equal("Not rescheduled: crashes with cause network are not retried.", decision.Reason);
        Assert.True(policy.Decide(Crash(CrashCause.Testbox), attempt: 1, maxAttempts: 3).Reschedule);
    }

    [Fact]
    public void TaskCrashesCanBeTurnedOnButFatalStillWins()
    {
        var options = new ReschedulePolicyOptions();
        options.RescheduleByCause[CrashCause.Task] = true;
        var policy = new ReschedulePolicy(options);

        Assert.True(policy.Decide(Crash(CrashCause.Task), attempt: 1, maxAttempts: 3).Reschedule);
        Assert.False(policy.Decide(Crash(CrashCause.Task, fatal: true), attempt: 1, maxAttempts: 3).Reschedule);
    }

    [Fact]
    public void ACauseLeftOutOfTheConfigurationKeepsItsDefault()
    {
        var policy = new ReschedulePolicy(new ReschedulePolicyOptions
        {
            RescheduleByCause = new() { [CrashCause.Network] = false },
        });

        Assert.False(policy.Decide(Crash(CrashCause.Network), 1, 3).Reschedule);
        Assert.True(policy.Decide(Crash(CrashCause.Testbox), 1, 3).Reschedule);
        Assert.False(policy.Decide(Crash(CrashCause.Task), 1, 3).Reschedule);
    }

    [Fact]
    public void LaterChangesToTheOptionsDoNotReachAPolicy()
    {
        var options = new ReschedulePolicyOptions();
        var policy = new ReschedulePolicy(options);
        options.RescheduleByCause[CrashCause.Testbox] = false;
        options.MaxAttempts = 0;

        Assert.True(policy.Decide(Crash(CrashCause.Testbox), attempt: 1).Reschedule);
    }

    [Fact]
    public void TheDefaultOptionsAreTheIssuesPolicy()
    {
        var options = new ReschedulePolicyOptions();

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(CrashCause.All.ToHashSet(), options.RescheduleByCause.Keys.ToHashSet());
        Assert.All(options.RescheduleByCause, kv => Assert.Equal(kv.Key != CrashCause.Task, kv.Value));
    }

    [Fact]
    public void AMisspeltCauseInTheConfigurationFailsAtStartup()
    {
        var options = new ReschedulePolicyOptions { RescheduleByCause = new() { ["netwrok"] = false } };

        var error = Assert.Throws<ArgumentException>(() => new ReschedulePolicy(options));
        Assert.StartsWith("RescheduleByCause names 'netwrok', which is not a cause; use testbox, task, network, scheduler, unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeMaxAttemptsInTheConfigurationFailsAtStartup()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReschedulePolicy(new ReschedulePolicyOptions { MaxAttempts = -1 }));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(-1, 3)]
    [InlineData(1, -1)]
    public void NonsenseAttemptNumbersAreRejected(int attempt, int maxAttempts)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.Decide(Crash(CrashCause.Testbox), attempt, maxAttempts));
    }

    [Fact]
    public void ALostHeartbeatIsRescheduledUntilAttemptsRunOut()
    {
        var crash = SchedulerCrashes.HeartbeatLost("hw-1", 180);

        Assert.True(Default.Decide(crash, 1).Reschedule);
        Assert.True(Default.Decide(crash, 2).Reschedule);
        Assert.False(Default.Decide(crash, 3).Reschedule);
    }
}
