using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Client;
using CompassCi.Contracts.Jobs;

namespace CompassCi.Samples.CiBot;

/// <summary>
/// What a CI bot does with a change to test: submit a matrix of jobs (one per parameter value), follow every job live
/// until it ends, and sum up. It only sees <see cref="ICompassCiClient"/>, so it runs the same over HTTP or Orleans.
/// </summary>
public sealed class CiBot(ICompassCiClient client, TextWriter output)
{
    /// <summary>Submits the matrix and follows it; true when every job ended with health success.</summary>
    public async Task<bool> RunAsync(BotRun run, CancellationToken cancellationToken)
    {
        // One submit_id per job of this run: if the bot (or the network) fails after a submit, running it again with
        // the same run id finds the jobs already there instead of submitting them twice.
        var submitted = new List<(string Value, JobView Job)>();
        for (var n = 0; n < run.Values.Count; n++)
        {
            var document = new JsonObject
            {
                ["suite"] = run.Suite,
                ["my_account"] = run.Account,
                ["tbox_group"] = run.TboxGroup,
                ["submit_id"] = $"{run.RunId}-{n}",
                [run.Parameter] = run.Values[n],
            };
            var result = await client.SubmitAsync(new JobSubmission(document.ToJsonString()), cancellationToken);
            if (result.Status is not (SubmitStatus.Created or SubmitStatus.AlreadySubmitted))
            {
                var why = string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
                await output.WriteLineAsync($"submit of {run.Parameter}={run.Values[n]} refused ({result.Status}): {why}");
                return false;
            }

            submitted.Add((run.Values[n], result.Jobs[0]));
            await output.WriteLineAsync($"submitted {run.Parameter}={run.Values[n]} as job {result.Jobs[0].Id}");
        }

        var ends = new ConcurrentDictionary<string, JobEvent>();
        await Task.WhenAll(submitted.Select(s => FollowAsync(s.Job.Id, ends, cancellationToken)));

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"job",-22} {run.Parameter,-16} {"health",-10} ended"));
        foreach (var (value, job) in submitted)
        {
            var end = ends[job.Id];
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{job.Id,-22} {value,-16} {end.Health,-10} {end.Time:u}"));
        }

        var failed = ends.Values.Count(e => e.Health != JobHealth.Success);
        await output.WriteLineAsync(failed == 0 ? $"all {ends.Count} jobs succeeded" : $"{failed} of {ends.Count} jobs did not succeed");
        return failed == 0;
    }

    /// <summary>Follows one job from its first change to its end, printing each stage it enters.</summary>
    private async Task FollowAsync(string id, ConcurrentDictionary<string, JobEvent> ends, CancellationToken cancellationToken)
    {
        await foreach (var change in client.WatchJobAsync(id, cancellationToken: cancellationToken))
        {
            if (change.Type == JobEventTypes.Stage)
            {
                await output.WriteLineAsync($"job {id}: {change.Stage}");
            }

            if (change.Health is not null)
            {
                await output.WriteLineAsync($"job {id}: ended {change.Health}");
                ends[id] = change;
                return;
            }
        }
    }
}
