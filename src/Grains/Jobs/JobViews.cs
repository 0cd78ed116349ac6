using System.Globalization;

namespace CompassCi.Grains.Jobs;

/// <summary>A job's row as clients see it (<see cref="JobView"/>).</summary>
public static class JobViews
{
    public static JobView From(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobView
        {
            Id = Text(job.Id),
            Stage = job.Stage,
            Health = job.Health,
            Account = job.Account,
            Suite = job.Suite,
            TboxGroup = job.TboxGroup,
            Testbox = job.Testbox,
            QueueKey = job.QueueKey,
            Priority = job.Priority,
            SubmitTime = Time(job.SubmitTime),
            BootTime = Time(job.BootTime),
            RunningTime = Time(job.RunningTime),
            FinishTime = Time(job.FinishTime),
            Deadline = Time(job.Deadline),
            Crash = job.Crash,
            AbortRequested = job.CancelRequested,
            Attempt = job.Attempt,
            RescheduledFrom = Text(job.RescheduledFrom),
            RescheduledAs = Text(job.RescheduledAs),
            ClusterId = Text(job.ClusterId),
            Host = job.Host,
            SubmitId = SubmitIdOf(job.Document),
            Document = job.Document,
        };
    }

    private static string? SubmitIdOf(string document) =>
        System.Text.Json.Nodes.JsonNode.Parse(document)?[Submit.SubmitIds.Field] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var id) ? id : null;

    private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    private static DateTimeOffset? Time(long? millis) => millis is { } m ? DateTimeOffset.FromUnixTimeMilliseconds(m) : null;

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string? Text(long? id) => id?.ToString(CultureInfo.InvariantCulture);
}
