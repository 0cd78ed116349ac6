using System.Collections.Concurrent;
using CompassCi.Cli.Output;
using CompassCi.Cli.Server;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Cli.Commands;

/// <summary>
/// Follows jobs live over the SSE watch, one stream per job, printing each change as it comes, until every job has
/// ended (its health is set). Used by <c>watch &lt;id&gt;</c> and <c>submit -m</c>.
/// </summary>
internal static class JobFollower
{
    /// <summary>Each job's health once it ended.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> FollowAsync(ServerApi api, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var ended = new ConcurrentDictionary<string, string>();
        await Task.WhenAll(ids.Select(async id =>
        {
            await foreach (var change in api.Sdk.WatchJobAsync(id, cancellationToken: cancellationToken))
            {
                Print(change);
                if (change.Health is { } health)
                {
                    ended[id] = health;
                    break;
                }
            }
        }));
        return ended;
    }

    /// <summary>One change on one line: time, job, what happened, the stage and health after it.</summary>
    public static void Print(JobEvent change)
    {
        var what = change.Event == change.Type ? change.Event : $"{change.Type}/{change.Event}";
        var health = change.Health is null ? "" : " health=" + Terminal.Health(change.Health);
        Terminal.MarkupLine(Terminal.Esc($"{change.Time:yyyy-MM-ddTHH:mm:ss.fffzzz} job {change.JobId} {what} stage={change.Stage}") + health);
    }

    /// <summary>The summary after following: one line per job that did not succeed; exit 0 only when all did.</summary>
    public static int Summarize(IReadOnlyDictionary<string, string> ended, int total)
    {
        var failed = ended.Where(e => e.Value != JobHealth.Success).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        foreach (var (id, health) in failed)
        {
            Terminal.MarkupLine(Terminal.Esc($"job {id} ended ") + Terminal.Health(health));
        }

        Terminal.Line($"{total - failed.Count} of {total} jobs succeeded");
        return failed.Count == 0 && ended.Count == total ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
