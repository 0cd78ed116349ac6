using System.Collections.Concurrent;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The optional phase after the usual run (--extract-jobs X): X more jobs are submitted and taken (on their own
/// tag shapes, vm-4p{i}g, so no job left over from the drain mixes in), each gets 10 dump-stat files uploaded over
/// WebDAV and is finished; then the server extracts stats and runs its post-extract plugins. The steps run one
/// after another, each over all X jobs with C loops (C = --consumers), so finishing is one burst and what follows
/// it measures the results pipeline: jobs whose pipeline ended per second from the first finish to the last end.
/// </summary>
public sealed class ExtractionPhase(HttpClient client, BenchOptions options, string runId)
{
    private const int MaxCheckSamples = 5;

    /// <summary>Tag group of the phase's shapes; the drain's are vm-2p{i}g.</summary>
    public const string ShapeGroup = "vm-4p";

    private readonly ResultsApi _api = new(client, options.Url);
    private readonly ConcurrentQueue<string> _checkSamples = new();

    public async Task<ExtractionReport> RunAsync(TextWriter output, CancellationToken deadline)
    {
        var jobs = options.ExtractJobs;
        var workers = options.Consumers;
        var shapes = TagShape.Build(options.Shapes, ShapeGroup);
        var phaseRun = runId + "x";

        await output.WriteLineAsync($"extraction: submitting {jobs} jobs, taking them with {workers} testboxes");
        var submit = new SubmitPhase(options.Url, new JobDocumentWriter(shapes, phaseRun, options.Accounts), jobs, options.Shapes);
        var submitted = await submit.RunAsync(options.Submitters, deadline) with { Name = "x-submit" };
        var taken = await new DrainPhase(options.Url, shapes, submit.AcceptedPerShape, phaseRun).RunAsync(workers, deadline) with { Name = "x-take" };
        var exactlyOnce = ExactlyOnceChecker.Check(jobs, submitted.Ids, taken.Ids);

        // The jobs this phase holds: acknowledged to it and handed to one of its testboxes.
        var acknowledged = submitted.Ids.ToHashSet(StringComparer.Ordinal);
        var ids = taken.Ids.Distinct(StringComparer.Ordinal).Where(acknowledged.Contains).ToArray();
        var all = Enumerable.Range(0, ids.Length).ToArray();

        var roots = new string?[ids.Length];
        var located = await WorkerPool.RunAsync("x-locate", all, workers, async (j, tally, ct) => (roots[j] = await _api.ResultRootAsync(ids[j], tally, ct)) is not null, deadline);

        await output.WriteLineAsync($"extraction: uploading {ResultFileWriter.FilesPerJob} files to each of {ids.Length} jobs, then finishing them");
        // One item per job, its files PUT one after another, as lkp-tests' upload.sh sends them from the testbox; the
        // C loops upload C jobs at a time.
        var uploaded = await WorkerPool.RunAsync("x-upload", all.Where(j => roots[j] is not null).ToArray(), workers, async (j, tally, ct) =>
        {
            var everyFile = true;
            for (var file = 0; file < ResultFileWriter.FilesPerJob; file++)
            {
                everyFile &= await _api.PutAsync(ids[j], roots[j]!, ResultFileWriter.FileName(file), ResultFileWriter.Write(j, file), tally, ct);
            }

            return everyFile;
        }, deadline);

        // Every taken job is finished, uploaded or not: one that is not shows in the check rather than being left held.
        var watcher = new PipelineWatcher(_api, ids);
        var finishing = WorkerPool.RunAsync("x-finish", all, workers, async (j, tally, ct) =>
        {
            if (await _api.FinishAsync(ids[j], tally, ct) is not { } at)
            {
                return false;
            }

            watcher.Finished(j, at);
            return true;
        }, deadline);
        var watch = await watcher.RunAsync(finishing, deadline);
        var finished = await finishing;

        await output.WriteLineAsync($"extraction: {watch.Ended.Count} of {watch.Finished} pipelines ended; checking every job's stats");
        var expectedKeys = ResultFileWriter.AllStatKeys().ToHashSet(StringComparer.Ordinal);
        var complete = 0;
        var asExpected = 0;
        var statsChecked = await WorkerPool.RunAsync("x-stats", ids, workers, async (id, tally, ct) =>
        {
            using var answer = await _api.StatsAsync(id, tally, ct);
            if (answer is null)
            {
                return false;
            }

            var (isComplete, problem) = StatsExpectation.Check(answer.RootElement, expectedKeys);
            if (isComplete) Interlocked.Increment(ref complete);
            else Sample($"job {id}: job_data_readiness is not complete");
            if (problem is null) Interlocked.Increment(ref asExpected);
            else Sample($"job {id}: {problem}");
            return true;
        }, deadline);

        // The failed list is one more read of the check, so its errors count in the x-stats row.
        var failed = await FailedAsync(ids, statsChecked.Tallies[0], deadline);
        foreach (var id in ids.Where(id => !watch.Ended.Contains(id)).Take(MaxCheckSamples))
        {
            Sample($"job {id}: its pipeline was not seen to end");
        }

        var extract = ExtractRow(watch);
        PhaseResult[] steps = [submitted, taken, located, uploaded, finished];
        return new ExtractionReport(
            jobs,
            ResultFileWriter.FilesPerJob,
            (int)Enumerable.Range(0, ResultFileWriter.FilesPerJob).Average(f => ResultFileWriter.Write(0, f).Length),
            ResultFileWriter.StatsPerJob,
            [.. steps.Select(PhaseReport.From), extract, PhaseReport.From(statsChecked)],
            exactlyOnce,
            uploaded.RatePerSecond,
            extract.RatePerSecond,
            extract.P50Ms,
            extract.P99Ms,
            PipelineWatcher.PollInterval.TotalMilliseconds,
            watch.Finished,
            watch.Ended.Count,
            complete,
            asExpected,
            failed,
            [.. _checkSamples.Take(MaxCheckSamples)],
            steps.Any(s => s.TimedOut) || statsChecked.TimedOut || watch.Listings.TimedOut);
    }

    /// <summary>The "extract" row: jobs whose pipeline ended, over first finish → last end, and finish → end latencies.</summary>
    private static PhaseReport ExtractRow(PipelineWatch watch)
    {
        var latency = LatencySummary.From(watch.FinishToEnd);
        var listings = watch.Listings;
        return new PhaseReport(
            "extract",
            watch.Ended.Count,
            watch.Seconds,
            watch.Seconds > 0 ? watch.Ended.Count / watch.Seconds : 0,
            latency.P50Ms,
            latency.P99Ms,
            listings.Errors,
            0,
            0,
            listings.GaveUp ? 1 : 0,
            listings.TimedOut,
            listings.ErrorSamples);
    }

    /// <summary>How many of the jobs the failed-pipeline list names (a page that cannot be read counts them all as failed).</summary>
    private async Task<int> FailedAsync(string[] ids, WorkerTally tally, CancellationToken deadline)
    {
        try
        {
            if (await _api.ListPipelineAsync("failed", tally, deadline) is { } failed)
            {
                var count = ids.Count(failed.Contains);
                foreach (var id in ids.Where(failed.Contains).Take(MaxCheckSamples)) Sample($"job {id}: its pipeline failed");
                return count;
            }
        }
        catch (Exception e) when (RequestFailure.IsTransport(e, deadline) || ResultsApi.IsUnreadable(e))
        {
            tally.RecordError($"pipeline list: {RequestFailure.Describe(e)}");
        }

        Sample("GET /api/v1/pipeline?state=failed could not be read");
        return ids.Length;
    }

    private void Sample(string problem)
    {
        if (_checkSamples.Count < MaxCheckSamples)
        {
            _checkSamples.Enqueue(problem);
        }
    }
}
