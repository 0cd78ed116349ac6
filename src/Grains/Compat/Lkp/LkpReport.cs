namespace CompassCi.Grains.Compat.Lkp;

/// <summary>
/// One report of an lkp testbox on its job (append-var, set-job-stage, report-job-step, report_ssh_port): the stage to
/// move to, the health to note, and the variables to record (merged into <see cref="JobRecord.LkpVars"/>). Any part may
/// be empty.
/// </summary>
[GenerateSerializer]
public sealed record LkpReport(
    [property: Id(0)] string? Stage,
    [property: Id(1)] string? NotedHealth,
    [property: Id(2)] Dictionary<string, string> Vars);
