using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>Writes a run's results as the console table and lines described in bench/README.md.</summary>
public static class ReportPrinter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(TextWriter output, BenchReport report)
    {
        PrintPhases(output, report.Phases);
        PrintMemory(output, report.Memory);
        if (report.SiloCpu.DrainSecondsPerThousandConsumes is { } per1000)
        {
            output.WriteLine(string.Format(Invariant, "silo CPU: submit {0:F1} s, drain {1:F1} s = {2:F2} s per 1,000 consumes", report.SiloCpu.SubmitSeconds, report.SiloCpu.DrainSeconds, per1000));
        }

        output.WriteLine(report.LoadGeneratorCpu.Describe());

        PrintExactlyOnce(output, report.ExactlyOnce);
        PrintTargets(output, report);
        if (report.Extraction is { } extraction)
        {
            PrintExtraction(output, extraction);
        }
    }

    /// <summary>The phase table alone, for the suite's items that have no drain or memory figures of their own.</summary>
    public static void PrintPhasesOnly(TextWriter output, IReadOnlyList<PhaseReport> phases) => PrintPhases(output, phases);

    private static void PrintPhases(TextWriter output, IReadOnlyList<PhaseReport> phases)
    {
        output.WriteLine();
        output.WriteLine(string.Format(Invariant, "{0,-8} {1,10} {2,10} {3,10} {4,9} {5,9} {6,8}", "phase", "count", "seconds", "rate/s", "p50 ms", "p99 ms", "errors"));
        foreach (var phase in phases)
        {
            output.WriteLine(string.Format(
                Invariant,
                "{0,-8} {1,10} {2,10:F2} {3,10:F0} {4,9} {5,9} {6,8}",
                phase.Phase,
                phase.Count,
                phase.Seconds,
                phase.RatePerSecond,
                Ms(phase.P50Ms),
                Ms(phase.P99Ms),
                phase.Errors));
        }

        output.WriteLine();
        foreach (var phase in phases)
        {
            var notes = new List<string>();
            if (phase.EmptyResponses > 0) notes.Add($"{phase.EmptyResponses} empty (204) answers");
            if (phase.Abandoned > 0) notes.Add($"{phase.Abandoned} requests abandoned after {TestboxConsumer.MaxAttempts} attempts");
            if (phase.LoopsGaveUp > 0) notes.Add($"{phase.LoopsGaveUp} loops stopped after repeated failures");
            if (phase.TimedOut) notes.Add("hit the --timeout-seconds deadline");
            if (notes.Count > 0) output.WriteLine($"{phase.Phase}: {string.Join("; ", notes)}");
            foreach (var sample in phase.ErrorSamples) output.WriteLine($"{phase.Phase} error: {sample}");
        }
    }

    private static void PrintExtraction(TextWriter output, ExtractionReport x)
    {
        output.WriteLine();
        output.WriteLine($"extraction: {x.Jobs} jobs, {x.FilesPerJob} result files of ~{x.FileBytes} B each, {x.StatsPerJob} stats per job");
        PrintPhases(output, x.Phases);
        output.WriteLine(string.Format(Invariant, "  {0,-26} {1,10:F1}", "upload requests/s", x.UploadRequestsPerSecond));
        output.WriteLine(string.Format(Invariant, "  {0,-26} {1,10:F1}  (first finish to the last pipeline seen ended)", "extraction jobs/s", x.ExtractJobsPerSecond));
        output.WriteLine(string.Format(
            Invariant, "  {0,-26} {1,10} / {2} ms  (upper bounds: pending listed every {3:F0} ms + listing time)", "finish->ended p50 / p99", Ms(x.FinishToEndP50Ms), Ms(x.FinishToEndP99Ms), x.PollIntervalMs));
        PrintExactlyOnce(output, x.ExactlyOnce, "extraction exactly-once");
        output.WriteLine(
            $"extraction check: {(x.Passed ? "PASS" : "FAIL")} - finished {x.Finished}, pipelines ended {x.PipelinesEnded}, failed {x.FailedPipelines},"
            + $" readiness complete {x.ReadinessComplete}, stats exactly as uploaded {x.StatsAsExpected} (of {x.Jobs})");
        foreach (var sample in x.CheckSamples) output.WriteLine($"extraction check: {sample}");
    }

    private static void PrintMemory(TextWriter output, MemoryReport memory)
    {
        if (memory.RssBeforeSubmitBytes is null)
        {
            output.WriteLine("server memory: not measured (give --silo-pid)");
            return;
        }

        output.WriteLine(string.Format(Invariant, "{0,-28} {1,14} {2,26}", "memory", "silo", $"silo+children ({memory.TreeProcesses} procs)"));
        output.WriteLine(Row("RSS before submit", Size(memory.RssBeforeSubmitBytes), Size(memory.TreeRssBeforeSubmitBytes)));
        output.WriteLine(Row("RSS with jobs pending", Size(memory.RssWithPendingBytes), Size(memory.TreeRssWithPendingBytes)));
        output.WriteLine(Row("bytes/pending job", PerJob(memory.BytesPerPendingJob), PerJob(memory.TreeBytesPerPendingJob)));
        output.WriteLine(Row("peak RSS (VmHWM)", Size(memory.PeakRssBytes), "-"));
        output.WriteLine(Row("RSS after drain", Size(memory.RssAfterDrainBytes), "-"));
    }

    private static void PrintExactlyOnce(TextWriter output, ExactlyOnceReport check, string label = "exactly-once")
    {
        output.WriteLine();
        output.WriteLine(
            $"{label}: {(check.Passed ? "PASS" : "FAIL")} - expected {check.Expected}, acknowledged {check.Submitted}"
            + $" (repeated ids {check.SubmitDuplicates}), consumed {check.ConsumedTotal} (unique {check.ConsumedUnique}),"
            + $" duplicates {check.Duplicates}, missing {check.Missing}, unexpected {check.Unexpected}");
    }

    private static void PrintTargets(TextWriter output, BenchReport report)
    {
        var submit = report.Phases.FirstOrDefault(p => p.Phase == "submit");
        var drain = report.Phases.FirstOrDefault(p => p.Phase == "drain");
        output.WriteLine($"targets (for 100k pending; this run had {report.Jobs}):");
        if (submit is not null)
        {
            output.WriteLine(Goal("submit/s", submit.RatePerSecond, ">=", Targets.SubmitPerSecond, $"baseline best {Targets.BaselineSubmitPerSecond:F0}"));
        }

        if (drain is not null)
        {
            output.WriteLine(Goal("consume/s", drain.RatePerSecond, ">=", Targets.ConsumePerSecond, $"baseline best {Targets.BaselineConsumePerSecond:F0}"));
            if (drain.P99Ms is { } p99) output.WriteLine(Goal("consume p99 ms", p99, "<=", Targets.P99Ms, "baseline 84-156"));
        }

        if (report.Memory.BytesPerPendingJob is { } perJob)
        {
            output.WriteLine(Goal("bytes/pending job (silo)", perJob, "<=", Targets.BytesPerPendingJob, $"baseline ~{Targets.BaselineBytesPerPendingJob:F0}"));
        }
    }

    private static string Goal(string what, double value, string relation, double target, string baseline)
    {
        var met = relation == ">=" ? value >= target : value <= target;
        return string.Format(Invariant, "  {0,-26} {1,10:F1}  target {2} {3,-8:F0} {4,-4}  ({5})", what, value, relation, target, met ? "met" : "MISS", baseline);
    }

    private static string Row(string label, string silo, string tree) =>
        string.Format(Invariant, "{0,-28} {1,14} {2,26}", label, silo, tree);

    private static string Ms(double? ms) => ms is { } v ? v.ToString("F2", Invariant) : "-";

    private static string PerJob(double? bytes) => bytes is { } v ? v.ToString("F0", Invariant) + " B" : "-";

    private static string Size(long? bytes) => bytes is { } v ? (v / (1024.0 * 1024.0)).ToString("F1", Invariant) + " MiB" : "-";
}
