using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>
/// The load generator's own CPU time (user + system, all threads) per phase. It runs on the same small machine as the
/// server, so every CPU millisecond it spends per request is one the server did not get; this shows how much that is.
/// Null figures for a phase the run did not have.
/// </summary>
/// <param name="SubmitSeconds">CPU seconds this process used during the submit phase.</param>
/// <param name="DrainSeconds">CPU seconds this process used during the drain.</param>
/// <param name="MsPerSubmit">SubmitSeconds per acknowledged job, in milliseconds.</param>
/// <param name="MsPerConsume">DrainSeconds per job handed out, in milliseconds (204 answers and retries are part of the cost).</param>
public sealed record LoadGeneratorCpuReport(double? SubmitSeconds, double? DrainSeconds, double? MsPerSubmit, double? MsPerConsume)
{
    /// <summary>CPU seconds this process has used so far (getrusage: microseconds, not /proc's 10 ms ticks).</summary>
    public static double Now() => Environment.CpuUsage.TotalTime.TotalSeconds;

    public static LoadGeneratorCpuReport From(double? beforeSubmit, double? afterSubmit, double? afterDrain, int submitted, int consumed)
    {
        var submit = afterSubmit - beforeSubmit;
        var drain = afterDrain - afterSubmit;
        return new LoadGeneratorCpuReport(submit, drain, PerOp(submit, submitted), PerOp(drain, consumed));
    }

    /// <summary>"load generator CPU: submit 1.20 s = 0.060 ms per submit, drain 1.00 s = 0.050 ms per consume", the phases it has.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (SubmitSeconds is { } submit)
        {
            parts.Add(Phase("submit", submit, MsPerSubmit, "submit"));
        }

        if (DrainSeconds is { } drain)
        {
            parts.Add(Phase("drain", drain, MsPerConsume, "consume"));
        }

        return "load generator CPU: " + string.Join(", ", parts);
    }

    private static string Phase(string phase, double seconds, double? msPerOp, string op) => msPerOp is { } ms
        ? string.Format(CultureInfo.InvariantCulture, "{0} {1:F2} s = {2:F3} ms per {3}", phase, seconds, ms, op)
        : string.Format(CultureInfo.InvariantCulture, "{0} {1:F2} s, no {2} succeeded", phase, seconds, op);

    private static double? PerOp(double? seconds, int count) => seconds is { } s && count > 0 ? s * 1000 / count : null;
}
