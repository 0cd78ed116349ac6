using System.Globalization;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Logging;
using CompassCi.Grains.Testboxes;
using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Dispatch;

/// <summary>
/// A testbox taking work, however it asks — the native consume, or compass-ci's boot routes: it is seen in the registry,
/// a quarantined host gets only its health check, otherwise the dispatcher hands it the best matching job (waiting up to
/// the request's wait). The endpoints only parse the request and render the <see cref="HandOver"/>; the Orleans front door
/// (<see cref="IJobsGrain.Consume"/>) runs the same path.
/// </summary>
public sealed partial class TestboxConsumer(
    JobDispatcher dispatcher,
    QuarantinedHosts quarantined,
    TestboxSightings sightings,
    IGrainFactory grains,
    TimeProvider clock,
    TokenKey tokenKey,
    ILogger<TestboxConsumer> logger)
{
    /// <summary>
    /// Takes a job for <paramref name="testbox"/>, offering <paramref name="offered"/> (normalised) and
    /// <paramref name="memoryMb"/>. <paramref name="requestId"/> makes a retry of the same request safe. Ends early when
    /// <paramref name="ends"/> fires (the client hung up or the silo stops: the caller tells which).
    /// </summary>
    public async Task<ConsumeAnswer> TakeAsync(string testbox, IReadOnlyDictionary<string, string> offered, long memoryMb, string? requestId, string? host, TimeSpan wait, CancellationToken ends)
    {
        ArgumentNullException.ThrowIfNull(offered);
        var leaseId = requestId ?? Guid.NewGuid().ToString("N");
        host = HostName.Of(testbox, host);
        // Every line logged while the box asks (here and in what the dispatcher runs on this flow) names the box.
        using var asking = logger.BeginScope(LogScope.Of(LogFields.Testbox, testbox, LogFields.Host, host));
        var now = clock.GetUtcNow();
        var tagsJson = TagsJson(offered);
        sightings.Record(new TestboxSighting(testbox, host, tagsJson, memoryMb == long.MaxValue ? null : memoryMb, now.ToUnixTimeMilliseconds(), (now + wait).ToUnixTimeMilliseconds()));
        var gate = await quarantined.GateAsync(host);
        if (gate.Quarantined)
        {
            return new ConsumeAnswer(await HealthCheckAsync(testbox, host, leaseId, gate), gate, host);
        }

        var taken = await dispatcher.ConsumeAsync(new ConsumeRequest(testbox, offered, memoryMb, leaseId, requestId is not null, wait, host), ends);
        if (taken.Job is not { } job)
        {
            return new ConsumeAnswer(null, null, host);
        }

        // The box no longer waits (only the registry's "requesting" state depends on this).
        sightings.Record(new TestboxSighting(testbox, null, null, null, clock.GetUtcNow().ToUnixTimeMilliseconds(), null));
        var heldUnder = job.LeaseId ?? leaseId;
        using (logger.BeginScope(LogScope.Of(LogFields.JobId, Key(job.Id))))
        {
            // The one line of a hand-out: where job X went.
            LogHandedOut(logger, job.Id, testbox);
        }

        return new ConsumeAnswer(new HandOver(job, heldUnder, Tokens.JobSecret(await tokenKey.GetAsync(), job.Id, heldUnder), async () =>
        {
            // The answer could not reach the testbox: give the job back rather than leave it held by nobody.
            // Fenced on this request's attempt: if a retry of the request has answered the job since, it stays held.
            // Runs later, when the answer is written, outside the scope above: it opens its own.
            using var givingBack = logger.BeginScope(LogScope.Of(LogFields.JobId, Key(job.Id), LogFields.Testbox, testbox, LogFields.Host, host));
            var released = await grains.GetGrain<IJobGrain>(Key(job.Id)).Release(testbox, leaseId, taken.Attempt);
            logger.LogInformation("Job {JobId}: testbox {Testbox} hung up before the answer reached it; back in its queue: {Released} (not when a retry of the request has it)", job.Id, testbox, released);
        }), null, host);
    }

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The one line of every hand-out; generated, so a hand-out neither boxes the id nor looks the template up.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} handed to testbox {Testbox}")]
    private static partial void LogHandedOut(ILogger logger, long jobId, string testbox);

    /// <summary>The offered tags as the registry keeps them: one JSON object, written without a tree of nodes.</summary>
    private static string TagsJson(IReadOnlyDictionary<string, string> offered)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in offered)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A testbox of a quarantined host gets no work, except its host's health-check job, assigned straight from the
    /// job (not through the queues, where any free testbox of the group could take it).
    /// </summary>
    private async Task<HandOver?> HealthCheckAsync(string testbox, string host, string leaseId, HostGate gate)
    {
        if (gate.HealthCheckJobId is not { } check)
        {
            return null;
        }

        var outcome = await grains.GetGrain<IJobGrain>(Key(check)).Assign(testbox, leaseId, 0, host);
        if (outcome.Job is not { } job)
        {
            return null;
        }

        await grains.GetGrain<IQueueGrain>(job.QueueKey).Remove(job.Id);
        using (logger.BeginScope(LogScope.Of(LogFields.JobId, Key(job.Id))))
        {
            logger.LogInformation("Health-check job {JobId} handed to testbox {Testbox}", job.Id, testbox);
        }

        var heldUnder = job.LeaseId ?? leaseId;
        return new HandOver(job, heldUnder, Tokens.JobSecret(await tokenKey.GetAsync(), job.Id, heldUnder), async () =>
        {
            using var givingBack = logger.BeginScope(LogScope.Of(LogFields.JobId, Key(job.Id), LogFields.Testbox, testbox, LogFields.Host, host));
            var released = await grains.GetGrain<IJobGrain>(Key(job.Id)).Release(testbox, leaseId, 0);
            logger.LogInformation("Health-check job {JobId} returned: testbox {Testbox} hung up (released: {Released})", job.Id, testbox, released);
        });
    }
}

/// <summary>What a consume came to: the job handed over (null: none), the quarantine that held it back, the box's host.</summary>
public sealed record ConsumeAnswer(HandOver? Job, HostGate? Quarantine, string Host);

/// <summary>A job handed to a testbox, held under <paramref name="LeaseId"/>, and how to give it back if the answer is lost.</summary>
public sealed record HandOver(JobRecord Job, string LeaseId, string JobSecret, Func<Task> GiveBack);
