using System.Text.Json.Nodes;
using CompassCi.Grains.Scheduling;

namespace CompassCi.Grains.Submit;

/// <summary>A submitted job as its first row: pending, version 1, its requirements in the indexed columns.</summary>
public static class NewJob
{
    /// <summary>The row for <paramref name="document"/> (already validated, with <paramref name="needs"/> read from it).</summary>
    public static JobRecord Pending(long id, long submitTime, JsonObject document, JobRequirements needs, long? clusterId = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(needs);
        return new JobRecord
        {
            Id = id,
            SubmitTime = submitTime,
            Account = document["my_account"]!.GetValue<string>(),
            Suite = document["suite"]!.GetValue<string>(),
            TboxGroup = needs.TboxGroup,
            Testbox = needs.Testbox,
            Arch = needs.Arch,
            QueueKey = needs.QueueKey,
            Stage = JobStages.Submit,
            Priority = needs.Priority,
            MemoryMb = needs.MemoryMb,
            Version = 1,
            Document = document.ToJsonString(),
            ClusterId = clusterId,
            QueuedAt = submitTime,
            ResultRoot = document[Results.ResultRoot.Field]?.GetValue<string>(),
            AllParamsMd5 = document[Results.AllParamsMd5.Field]?.GetValue<string>(),
        };
    }
}
