using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The long-poll item (issue 17 point 5): W testboxes over the K shapes each wait in a consume with wait_seconds 30;
/// once all wait, a trickle submits U warm-up jobs and then T jobs at R/s round-robin over the shapes; each job's dispatch
/// latency is its arrival at a testbox minus its 201 at the submitter, summarized over the T (and, apart, over all).
/// Every job, warm-up or not, must be handed out exactly once.
/// </summary>
public static class LongPollRun
{
    public const int WaitSeconds = 30;

    /// <summary>The UpDownCounter compassci.consume.waiting as the Prometheus exporter names it.</summary>
    public const string WaitingMetric = "compassci_consume_waiting";

    /// <summary>Without the metric: this long after the last testbox sent its first request, all are taken as waiting.</summary>
    private static readonly TimeSpan FixedSettle = TimeSpan.FromSeconds(2);

    /// <summary>After the last submit, how long the jobs still missing may take to arrive before the run gives up on them.</summary>
    private static readonly TimeSpan ArrivalPatience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
        // For /readyz, /metrics and the trickle; the long polls have connections of their own with a longer timeout.
        using var client = LoopbackHttpClient.Create();
        if (!await ReadinessProbe.WaitAsync(client, options.Url, TimeSpan.FromSeconds(options.ReadyTimeoutSeconds), deadline.Token))
        {
            await Console.Error.WriteLineAsync($"{options.Url}readyz did not answer 200 within {options.ReadyTimeoutSeconds}s");
            return 3;
        }

        var runId = Guid.NewGuid().ToString("N")[..12];
        var shapes = TagShape.Build(options.Shapes);
        var received = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var firstRequests = new CountdownEvent(options.Testboxes);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);

        await output.WriteLineAsync($"run {runId}: {options.Testboxes} testboxes wait in long polls (wait_seconds {WaitSeconds}) over {options.Shapes} shapes");
        var testboxes = Enumerable.Range(0, options.Testboxes)
            .Select(i => (Box: new LongPollTestbox(options.Url, shapes[i % shapes.Count], $"{shapes[i % shapes.Count].TboxGroup}--wait-{i}", WaitSeconds, $"{runId}-w{i}"), First: new StrongBox<bool>(true)))
            .ToArray();
        var loops = testboxes.Select(t => LoopThreads.Start(
            () => t.Box.Run(
                () => true,
                () =>
                {
                    if (t.First.Value)
                    {
                        t.First.Value = false;
                        firstRequests.Signal();
                    }
                },
                _ => { },
                (id, _) => received.TryAdd(id, 0),
                stop.Token))).ToArray();

        var (settle, waitingSeen) = await SettleAsync(client, options, firstRequests, deadline.Token);
        await output.WriteLineAsync($"settled ({settle}{(waitingSeen is { } w ? $": {w:F0} waiting" : "")}); trickling {options.WarmupJobs} warm-up + {options.TrickleJobs} jobs at {options.TrickleRate}/s");

        var trickle = new TrickleSubmitter(client, options.Url, new JobDocumentWriter(shapes, runId, options.Accounts));
        var submitted = options.WarmupJobs + options.TrickleJobs;
        var submitSeconds = await trickle.RunAsync(submitted, options.TrickleRate, deadline.Token, options.WarmupJobs);

        // Wait for the last jobs to reach their testboxes, then end the polls. Cancelling a poll in flight cannot lose a
        // job of this run: every one has arrived by then (or the patience ran out, and it is reported missing).
        var patience = Stopwatch.StartNew();
        while (!trickle.AcknowledgedAt.Keys.All(received.ContainsKey) && patience.Elapsed < ArrivalPatience && !deadline.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var arrivals = testboxes.SelectMany(t => t.Box.Arrivals).ToArray();
        var measured = trickle.AcknowledgedAt.Where(a => !trickle.WarmupIds.Contains(a.Key)).ToDictionary(StringComparer.Ordinal);
        var dispatch = DispatchLatency.Summarize(measured, arrivals);
        var withWarmup = DispatchLatency.Summarize(trickle.AcknowledgedAt, arrivals);
        var check = ExactlyOnceChecker.Check(submitted, trickle.Tally.Ids, arrivals.Select(a => a.Id));
        var submit = PhaseReport.From(new PhaseResult("trickle", submitSeconds, [trickle.Tally]));
        var errors = testboxes.Sum(t => t.Box.Tally.Errors);
        var timedOut = deadline.IsCancellationRequested;
        var report = new LongPollReport(
            options.Url.ToString(), options.Testboxes, options.Shapes, WaitSeconds, options.TrickleJobs, options.TrickleRate, options.WarmupJobs, settle, waitingSeen,
            submit, dispatch, withWarmup, errors, testboxes.SelectMany(t => t.Box.Tally.ErrorSamples).Distinct().Take(5).ToArray(), check, timedOut, check.Passed && !timedOut);

        ReportPrinter.PrintPhasesOnly(output, [submit]);
        await output.WriteLineAsync(
            $"dispatch (201 -> arrival at a waiting testbox): p50 {dispatch.P50Ms:F2} ms, p99 {dispatch.P99Ms:F2} ms, max {dispatch.MaxMs:F2} ms over {dispatch.Count} jobs"
            + $" after {options.WarmupJobs} warm-up jobs ({dispatch.ArrivedBeforeAck} arrived before their 201 was read, {dispatch.NeverArrived} never arrived); consume errors {errors}");
        await output.WriteLineAsync(
            $"dispatch with the warm-up: p50 {withWarmup.P50Ms:F2} ms, p99 {withWarmup.P99Ms:F2} ms, max {withWarmup.MaxMs:F2} ms over {withWarmup.Count} jobs");
        await output.WriteLineAsync($"exactly-once: {(check.Passed ? "PASS" : "FAIL")} - acknowledged {check.Submitted}, handed out {check.ConsumedTotal} (unique {check.ConsumedUnique}), duplicates {check.Duplicates}, missing {check.Missing}, unexpected {check.Unexpected}");
        await ResultJson.WriteAsync(options.JsonPath, report, WireJson.Default.LongPollReport, output);
        return report.Passed ? 0 : 1;
    }

    /// <summary>Waits until every testbox waits: by the silo's own gauge when it has one, else a fixed pause after the last first request.</summary>
    private static async Task<(string How, double? Waiting)> SettleAsync(HttpClient client, BenchOptions options, CountdownEvent firstRequests, CancellationToken deadline)
    {
        var metricsUrl = new Uri(options.Url, "metrics");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !deadline.IsCancellationRequested)
        {
            double? waiting = null;
            try
            {
                using var response = await client.GetAsync(metricsUrl, deadline);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    waiting = MetricsText.Sum(await response.Content.ReadAsStringAsync(deadline), WaitingMetric);
                }
            }
            catch (Exception e) when (RequestFailure.IsTransport(e, deadline))
            {
                // Treated as "no metric" below.
            }

            if (waiting >= options.Testboxes)
            {
                return ("metrics", waiting);
            }

            // No gauge after 5 s (metrics off, or a silo without it): fall back to the fixed pause.
            if (waiting is null && clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline);
        }

        firstRequests.Wait(deadline);
        await Task.Delay(FixedSettle, deadline);
        return ("fixed 2 s", null);
    }
}
