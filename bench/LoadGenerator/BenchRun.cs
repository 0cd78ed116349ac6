using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>One whole run: wait for the server, submit, measure memory, drain, check exactly-once, optionally extraction, report.</summary>
public static class BenchRun
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        if (options.JsonPath is { } jsonPath && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(jsonPath))))
        {
            // Checked now, not after a 30-minute run.
            await Console.Error.WriteLineAsync($"--json: the directory of '{jsonPath}' does not exist");
            return 2;
        }

        if (options.SiloPid is { } pid && ProcessMemory.Read(pid) is null)
        {
            await Console.Error.WriteLineAsync($"--silo-pid {pid}: cannot read /proc/{pid}/status (no such process, or not Linux)");
            return 3;
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var client = LoopbackHttpClient.Create();
        var startedAt = DateTimeOffset.UtcNow;

        // Fresh per run: request ids and payloads never collide with an earlier run against the same server.
        var runId = Guid.NewGuid().ToString("N")[..12];
        var shapes = TagShape.Build(options.Shapes);

        await output.WriteLineAsync($"waiting for {options.Url}readyz (up to {options.ReadyTimeoutSeconds}s)");
        if (!await ReadinessProbe.WaitAsync(client, options.Url, TimeSpan.FromSeconds(options.ReadyTimeoutSeconds), deadline.Token))
        {
            await Console.Error.WriteLineAsync($"{options.Url}readyz did not answer 200 within {options.ReadyTimeoutSeconds}s");
            return 3;
        }

        var before = ReadMemory(options);
        var cpuBeforeSubmit = ReadCpu(options);
        var ownCpuBeforeSubmit = LoadGeneratorCpuReport.Now();
        await output.WriteLineAsync($"run {runId}: submitting {options.Jobs} jobs of ~{JobDocumentWriter.TargetBytes} B over {options.Shapes} shapes with {options.Submitters} submitters");
        var submit = new SubmitPhase(options.Url, new JobDocumentWriter(shapes, runId, options.Accounts), options.Jobs, options.Shapes);
        var submitted = await submit.RunAsync(options.Submitters, deadline.Token);
        var pending = ReadMemory(options);
        var cpuAfterSubmit = ReadCpu(options);
        var ownCpuAfterSubmit = LoadGeneratorCpuReport.Now();

        if (options.Mode == BenchMode.Preload)
        {
            // The restart item kills the silo next, so its jobs stay pending; the restart run reads them back.
            await PendingJobs.WriteAsync(options.PendingFile!, submit.AcceptedJobs, deadline.Token);
            ReportPrinter.PrintPhasesOnly(output, [PhaseReport.From(submitted)]);
            await output.WriteLineAsync(LoadGeneratorCpuReport.From(ownCpuBeforeSubmit, ownCpuAfterSubmit, null, submitted.Count, 0).Describe());
            await output.WriteLineAsync($"{submitted.Count} pending jobs written to {options.PendingFile}");
            return submitted.Count == options.Jobs && !submitted.TimedOut ? 0 : 1;
        }

        await output.WriteLineAsync($"draining {submitted.Count} jobs with {options.Consumers} testboxes");
        var drain = new DrainPhase(options.Url, shapes, submit.AcceptedPerShape, runId);
        var drained = await drain.RunAsync(options.Consumers, deadline.Token);
        var after = ReadMemory(options);
        var cpuAfterDrain = ReadCpu(options);
        var ownCpuAfterDrain = LoadGeneratorCpuReport.Now();

        var check = ExactlyOnceChecker.Check(options.Jobs, submitted.Ids, drained.Ids);
        var timedOut = submitted.TimedOut || drained.TimedOut;

        // After the memory figures, so they stay those of the plain submit and drain.
        var extraction = options.ExtractJobs > 0 ? await new ExtractionPhase(client, options, runId).RunAsync(output, deadline.Token) : null;
        var report = new BenchReport(
            options.Url.ToString(),
            options.Jobs,
            options.Submitters,
            options.Consumers,
            options.Shapes,
            options.Accounts,
            JobDocumentWriter.TargetBytes,
            startedAt,
            [PhaseReport.From(submitted), PhaseReport.From(drained)],
            MemoryReport.From(before, pending, after, submitted.Count),
            SiloCpuReport.From(cpuBeforeSubmit, cpuAfterSubmit, cpuAfterDrain, drained.Count),
            check,
            extraction,
            timedOut,
            check.Passed && !timedOut && (extraction?.Passed ?? true),
            LoadGeneratorCpuReport.From(ownCpuBeforeSubmit, ownCpuAfterSubmit, ownCpuAfterDrain, submitted.Count, drained.Count));

        ReportPrinter.Print(output, report);
        if (options.JsonPath is { } path)
        {
            await using (var file = File.Create(path))
            await using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
            {
                JsonSerializer.Serialize(writer, report, WireJson.Default.BenchReport);
            }

            await output.WriteLineAsync($"results written to {path}");
        }

        return report.Passed ? 0 : 1;
    }

    private static double? ReadCpu(BenchOptions options) =>
        options.SiloPid is { } pid ? ProcessCpu.Seconds(pid) : null;

    private static MemoryReading? ReadMemory(BenchOptions options) =>
        options.SiloPid is { } pid ? ProcessMemory.Read(pid) : null;
}
