namespace CompassCi.LoadGenerator;

/// <summary>The silo's own CPU time (user + system) per phase; null figures without --silo-pid.</summary>
/// <param name="SubmitSeconds">CPU seconds the silo used during the submit phase.</param>
/// <param name="DrainSeconds">CPU seconds the silo used during the drain.</param>
/// <param name="DrainSecondsPerThousandConsumes">DrainSeconds per 1,000 jobs handed out: what a consume costs the server.</param>
public sealed record SiloCpuReport(double? SubmitSeconds, double? DrainSeconds, double? DrainSecondsPerThousandConsumes)
{
    public static SiloCpuReport From(double? beforeSubmit, double? afterSubmit, double? afterDrain, int consumed)
    {
        var submit = afterSubmit - beforeSubmit;
        var drain = afterDrain - afterSubmit;
        return new SiloCpuReport(submit, drain, drain is { } d && consumed > 0 ? d * 1000 / consumed : null);
    }
}
