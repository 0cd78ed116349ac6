namespace CompassCi.Contracts.Jobs;

/// <summary>What kind of change a <see cref="JobEvent"/> is; the SSE <c>event:</c> field.</summary>
public static class JobEventTypes
{
    /// <summary>The job's stage changed (it was taken, started running, went back to its queue…).</summary>
    public const string Stage = "stage";

    /// <summary>The job ended: its health is set.</summary>
    public const string Health = "health";

    /// <summary>A step of the results pipeline after the end (extraction, a plugin's output, a notification).</summary>
    public const string Pipeline = "pipeline";

    /// <summary>Anything else the job's history records (submitted, renewed, cancel requested, a testbox's report…).</summary>
    public const string Job = "job";
}
