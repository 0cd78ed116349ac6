using System.Diagnostics;
using System.Net;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The cold-restart item (issue 17 point 6), second half: the suite has preloaded N jobs (--mode preload), killed the
/// silo with SIGKILL and started it again on the same data directory, noting the start time (--restarted-at). From
/// then on this run probes with one testbox per shape (wait_seconds 1, looping until the first job arrives anywhere)
/// and lists GET /api/v1/queues until the pending counts add up; then it drains the rest and checks exactly-once over
/// the whole preload.
/// </summary>
public static class RestartRun
{
    private const int ProbeWaitSeconds = 1;
    private static readonly TimeSpan ListingPause = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        // Times are taken on this process's monotonic clock, anchored once to the wall-clock start the suite noted.
        var anchor = Stopwatch.GetTimestamp();
        var secondsAtAnchor = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - options.RestartedAt!.Value;
        double SinceRestart(long timestamp) => secondsAtAnchor + Stopwatch.GetElapsedTime(anchor, timestamp).TotalSeconds;

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
        var jobs = await PendingJobs.ReadAsync(options.PendingFile!, deadline.Token);
        using var client = LoopbackHttpClient.Create();
        var runId = Guid.NewGuid().ToString("N")[..12];
        var shapes = TagShape.Build(options.Shapes);

        long firstAnswer = 0;
        long firstJob = 0;
        var probeTaken = 0;
        var probes = shapes.Select(s => new LongPollTestbox(options.Url, s, $"{s.TboxGroup}--probe", ProbeWaitSeconds, $"{runId}-p{s.Index}")).ToArray();
        var probeLoops = probes.Select(p => LoopThreads.Start(
            () => p.Run(
                () => Interlocked.Read(ref firstJob) == 0,
                () => { },
                at => Interlocked.CompareExchange(ref firstAnswer, at, 0),
                (_, at) =>
                {
                    Interlocked.Increment(ref probeTaken);
                    Interlocked.CompareExchange(ref firstJob, at, 0);
                },
                deadline.Token))).ToArray();

        var (loadedAt, lastPending) = await WaitForAllQueuesAsync(client, options.Url, jobs.Count, () => Volatile.Read(ref probeTaken), deadline.Token);
        await Task.WhenAll(probeLoops);
        await output.WriteLineAsync(
            $"restart: first answer {Seconds(firstAnswer)}, first job {Seconds(firstJob)}, all queues loaded {Seconds(loadedAt)} (s from the silo's process start); probes took {probeTaken}");

        var probeIds = probes.SelectMany(p => p.Arrivals.Select(a => a.Id)).ToArray();
        var taken = new int[shapes.Count];
        foreach (var (probe, shape) in probes.Zip(shapes))
        {
            taken[shape.Index] = probe.Arrivals.Count;
        }

        var expected = shapes.Select(s => jobs.Count(j => j.Shape == s.Index) - taken[s.Index]).ToArray();
        var ownCpuBeforeDrain = LoadGeneratorCpuReport.Now();
        var drained = await new DrainPhase(options.Url, shapes, expected, runId).RunAsync(options.Consumers, deadline.Token);
        var ownCpu = LoadGeneratorCpuReport.From(null, ownCpuBeforeDrain, LoadGeneratorCpuReport.Now(), 0, drained.Count);
        var check = ExactlyOnceChecker.Check(jobs.Count, jobs.Select(j => j.Id), probeIds.Concat(drained.Ids));
        var timedOut = deadline.IsCancellationRequested || drained.TimedOut;
        var drain = PhaseReport.From(drained);
        var report = new RestartReport(
            options.Url.ToString(), jobs.Count, options.Shapes, At(firstAnswer), At(firstJob), At(loadedAt), lastPending, probeTaken, drain, check, timedOut,
            check.Passed && !timedOut && loadedAt != 0 && firstJob != 0, ownCpu);

        ReportPrinter.PrintPhasesOnly(output, [drain]);
        await output.WriteLineAsync(ownCpu.Describe());
        await output.WriteLineAsync($"exactly-once over the preload: {(check.Passed ? "PASS" : "FAIL")} - {check.Expected} pending before the kill, handed out {check.ConsumedTotal} (unique {check.ConsumedUnique}), duplicates {check.Duplicates}, missing {check.Missing}, unexpected {check.Unexpected}");
        await ResultJson.WriteAsync(options.JsonPath, report, WireJson.Default.RestartReport, output);
        return report.Passed ? 0 : 1;

        double? At(long timestamp) => timestamp == 0 ? null : SinceRestart(timestamp);
        string Seconds(long timestamp) => At(timestamp) is { } s ? $"{s:F2} s" : "never";
    }

    /// <summary>
    /// Lists the queues until their pending counts plus the probes' takings make up the preload; returns when that answer arrived (0 if never)
    /// and the last total seen. A probe's job leaves its queue before its answer is read, so the sum can only be short, never early.
    /// </summary>
    private static async Task<(long At, long? LastPending)> WaitForAllQueuesAsync(HttpClient client, Uri baseUrl, int jobs, Func<int> probeTaken, CancellationToken deadline)
    {
        var url = new Uri(baseUrl, "api/v1/queues");
        long? last = null;
        try
        {
            while (true)
            {
                try
                {
                    var taken = probeTaken();
                    using var response = await client.GetAsync(url, deadline);
                    var body = await response.Content.ReadAsByteArrayAsync(deadline);
                    var at = Stopwatch.GetTimestamp();
                    if (response.StatusCode == HttpStatusCode.OK && QueueListing.TotalPending(body) is { } pending)
                    {
                        last = pending;
                        // Taken read before the listing was asked for: a job the probes took meanwhile makes the sum short, never long.
                        if (pending + taken >= jobs)
                        {
                            return (at, last);
                        }
                    }
                }
                catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
                {
                    // Not listening yet.
                }

                await Task.Delay(ListingPause, deadline);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (0, last);
        }
    }
}
