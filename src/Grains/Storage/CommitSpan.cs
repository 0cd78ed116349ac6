using System.Diagnostics;
using CompassCi.Grains.Telemetry;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The span of one shared commit (a group commit, a batch of claims), so that MySqlConnector's spans of its statements
/// land under it. A commit serves many callers but a span has one parent: it is the child of the oldest traced write
/// (that caller's trace holds the statements themselves), and it and every other traced write link to each other, so
/// each caller's trace leads to the commit that made its write durable and the commit names every write it carried.
/// </summary>
internal static class CommitSpan
{
    /// <summary>Starts the commit's span over the writes' own spans (null for an untraced write); none when no write is traced.</summary>
    public static Activity? Start(IEnumerable<Activity?> writes)
    {
        var all = writes.ToList();
        var traced = all.OfType<Activity>().ToList();
        if (traced.Count == 0)
        {
            return null;
        }

        var links = traced.Skip(1).Select(span => new ActivityLink(span.Context));
        var commit = SchedulerTracing.Source.StartActivity(SchedulerTracing.GroupCommit, ActivityKind.Internal, traced[0].Context, links: links);
        if (commit is not null)
        {
            commit.SetTag(SchedulerTracing.Writes, all.Count);
            foreach (var span in traced.Skip(1))
            {
                span.AddLink(new ActivityLink(commit.Context));
            }
        }

        return commit;
    }
}
