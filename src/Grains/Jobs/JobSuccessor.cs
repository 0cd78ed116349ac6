using System.Globalization;
using System.Text.Json.Nodes;

namespace CompassCi.Grains.Jobs;

/// <summary>The next attempt of a crashed job: a new pending job with the same document, linked back to it.</summary>
public static class JobSuccessor
{
    /// <summary>
    /// The attempt that replaces <paramref name="crashed"/>: same document, owner, priority and requirements, under
    /// <paramref name="id"/>, pending from <paramref name="nowMillis"/>. Its document also says which job it
    /// replaces and which attempt it is, so the testbox that runs it can tell.
    /// </summary>
    public static JobRecord Of(JobRecord crashed, long id, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(crashed);
        var document = JsonNode.Parse(crashed.Document) as JsonObject ?? [];
        var attempt = crashed.Attempt + 1;
        document["rescheduled_from"] = crashed.Id.ToString(CultureInfo.InvariantCulture);
        document["attempt"] = attempt;
        // Its own result folder: an upload of the crashed attempt's testbox cannot land in it.
        var resultRoot = Results.ResultFields.ForSuccessor(crashed.ResultRoot, id);
        if (resultRoot is not null)
        {
            document[Results.ResultRoot.Field] = resultRoot;
        }

        return new JobRecord
        {
            Id = id,
            SubmitTime = nowMillis,
            Account = crashed.Account,
            Suite = crashed.Suite,
            TboxGroup = crashed.TboxGroup,
            // The testbox the job asked for, not the one that crashed with it.
            Testbox = document["testbox"]?.GetValue<string>(),
            Arch = crashed.Arch,
            QueueKey = crashed.QueueKey,
            Stage = JobStages.Submit,
            Priority = crashed.Priority,
            MemoryMb = crashed.MemoryMb,
            Version = 1,
            Document = document.ToJsonString(),
            Attempt = attempt,
            RescheduledFrom = crashed.Id,
            QueuedAt = nowMillis,
            ResultRoot = resultRoot,
            AllParamsMd5 = crashed.AllParamsMd5,
        };
    }
}
