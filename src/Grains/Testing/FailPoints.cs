using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Testing;

/// <summary>The moments <see cref="FailPointOptions"/> can stop the silo at. Each check is one comparison when the point is off.</summary>
public sealed class FailPoints
{
    private readonly FailPointOptions _options;
    private readonly ILogger<FailPoints> _logger;

    public FailPoints(IOptions<FailPointOptions> options, ILogger<FailPoints> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        if (_options.KillAfterSubmitStored is not null || _options.KillBeforeEffectsOfSuite is not null || _options.KillAfterResultStep is not null || _options.ClockOffset != TimeSpan.Zero)
        {
            logger.LogWarning("Fail points are set ({Section}): this silo will kill itself on purpose. Only crash tests should set them.", FailPointOptions.Section);
        }
    }

    /// <summary>A submit with <paramref name="submitId"/> was stored and is about to be answered.</summary>
    public void AfterSubmitStored(string? submitId)
    {
        if (submitId is not null && submitId == _options.KillAfterSubmitStored)
        {
            Die($"submit {submitId} is stored and not yet answered");
        }
    }

    /// <summary>A change of <paramref name="job"/> was written and its effects are about to run.</summary>
    public void BeforeEffects(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_options.KillBeforeEffectsOfSuite is { } suite && job.Suite == suite)
        {
            Die($"job {job.Id} changed and its effects have not run");
        }
    }

    /// <summary>The results step <paramref name="step"/> of <paramref name="job"/> was recorded done and the next has not begun.</summary>
    public void AfterResultStep(JobRecord job, string step)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_options.KillAfterResultStep is { } point && point == $"{job.Suite}/{step}")
        {
            Die($"results step {step} of job {job.Id} is done and the next has not begun");
        }
    }

    private void Die(string moment)
    {
        // Written straight to stderr as well: the logger writes on a background queue that a SIGKILL never drains.
        Console.Error.WriteLine($"Fail point: killing this silo now: {moment}");
        Console.Error.Flush();
        _logger.LogCritical("Fail point: killing this silo now: {Moment}", moment);
        // SIGKILL, as a power cut would: no shutdown, no flush, nothing after this line runs.
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
