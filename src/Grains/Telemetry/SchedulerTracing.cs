using System.Diagnostics;

namespace CompassCi.Grains.Telemetry;

/// <summary>
/// The scheduler's own spans, ActivitySource <c>CompassCi</c>: the consume's long-poll wait, and the shared database
/// commits that run on their own loop (see <see cref="Storage.GroupCommitter"/>). Without a listener (no OTLP endpoint
/// configured) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and none of this costs
/// anything. Unlike metrics, spans may name one job or testbox.
/// </summary>
public static class SchedulerTracing
{
    /// <summary>The source's name, as the tracer provider selects it.</summary>
    public const string SourceName = "CompassCi";

    /// <summary>A consume's wait for work, tagged with <see cref="Outcome"/>.</summary>
    public const string ConsumeWait = "compassci.consume.wait";

    /// <summary>One write waiting for the shared commit that makes it durable.</summary>
    public const string Write = "compassci.db.write";

    /// <summary>One shared commit of the writes that arrived together.</summary>
    public const string GroupCommit = "compassci.db.group_commit";

    public const string JobId = "compassci.job_id";
    public const string Testbox = "compassci.testbox";
    public const string Outcome = "compassci.outcome";
    public const string Writes = "compassci.db.writes";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a span as a child of the current one but leaves <see cref="Activity.Current"/> as it was: for work that
    /// another loop finishes (the span ends there, see <see cref="StopDetached"/>), so nothing the caller does next
    /// becomes its child. None when the caller is in no trace: background writes start no root spans of their own.
    /// </summary>
    internal static Activity? StartDetached(string name)
    {
        var current = Activity.Current;
        if (current is null)
        {
            return null;
        }

        var started = Source.StartActivity(name, ActivityKind.Internal);
        Activity.Current = current;
        return started;
    }

    /// <summary>Ends a span started by <see cref="StartDetached"/>, from any loop, without touching that loop's current span.</summary>
    internal static void StopDetached(Activity? span)
    {
        if (span is null)
        {
            return;
        }

        // Activity.Stop makes the span's parent current; on the committer's loop that would be some caller's span.
        var current = Activity.Current;
        span.Stop();
        Activity.Current = current;
    }
}
