using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Clusters;

/// <summary>
/// Turns a job with <c>cluster: &lt;name&gt;</c> (a stored spec) or an inline <c>cluster_spec</c> into its node jobs,
/// and makes the barrier row that is stored with them.
/// </summary>
public sealed class ClusterPlanner(ClusterStore clusters, TimeProvider clock, IOptions<ClusterJobOptions> options)
{
    /// <summary>The name an inline spec is recorded under.</summary>
    public const string InlineName = "inline";

    /// <summary>lkp-tests' single-machine "cluster": every role on the one testbox, no barrier (its client skips the sync calls too).</summary>
    private static readonly ClusterSpec LocalSpec = new(null, ClusterSpec.DefaultIp0, [new ClusterNode("localhost", ["server", "client"], [])]);

    /// <summary>True when the job asks to run on a cluster.</summary>
    public static bool IsClusterJob(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.ContainsKey("cluster") || document.ContainsKey("cluster_spec");
    }

    /// <summary>Finds the job's spec and splits the job on it. Errors name <c>cluster</c>, <c>cluster_spec.…</c> or the job field at fault.</summary>
    public async Task<ClusterSplit> PlanAsync(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? name = null;
        if (document["cluster"] is { } nameNode)
        {
            if (nameNode.GetValueKind() == JsonValueKind.String && nameNode.GetValue<string>() is { Length: > 0 and <= 255 } text)
            {
                name = text;
            }
            else
            {
                errors["cluster"] = ["must be the name of a cluster spec, a non-empty string of at most 255 characters"];
            }
        }

        JsonNode? specNode = null;
        var prefix = "cluster_spec.";
        if (document.ContainsKey("cluster_spec"))
        {
            specNode = document["cluster_spec"];
            if (specNode is not JsonObject)
            {
                errors["cluster_spec"] = ["must be a cluster spec: a map with nodes: {<host>: {roles: [...]}}"];
            }
        }
        else if (name is not null)
        {
            if (await clusters.GetSpecAsync(name) is { } stored)
            {
                specNode = JsonNode.Parse(stored);
                prefix = $"cluster_specs/{name}.";
            }
            else if (name != ClusterJobSplitter.LocalClusterName)
            {
                errors["cluster"] = [$"no cluster spec is named '{name}'; PUT it to /api/v1/cluster-specs/{name} first, or give it with the job as cluster_spec"];
            }
        }

        if (errors.Count > 0)
        {
            return Failed(errors);
        }

        ClusterSpec spec = LocalSpec;
        if (specNode is not null)
        {
            var read = ClusterSpecReader.Read(specNode);
            if (read.Spec is null)
            {
                return Failed(read.Errors.ToDictionary(e => prefix + e.Key, e => e.Value));
            }

            spec = read.Spec;
        }

        var job = (JsonObject)document.DeepClone();
        job.Remove("cluster_spec");
        name ??= InlineName;
        var split = ClusterJobSplitter.Split(job, spec, name);
        if (split.Errors.Count > 0)
        {
            return Failed(split.Errors);
        }

        return name == ClusterJobSplitter.LocalClusterName
            ? new ClusterSplit([], split.Jobs[0], split.Errors)
            : new ClusterSplit(split.Jobs, null, split.Errors);
    }

    /// <summary>
    /// The barrier row of a new cluster whose node jobs are <paramref name="nodeJobs"/> (the first one's id is the cluster
    /// id), to store in the same transaction as them. Every node must start within <see cref="ClusterJobOptions.StartTimeout"/>.
    /// </summary>
    public SqlStatement BarrierRow(IReadOnlyList<JobRecord> nodeJobs, IReadOnlyList<JsonObject> documents)
    {
        ArgumentNullException.ThrowIfNull(nodeJobs);
        ArgumentNullException.ThrowIfNull(documents);
        var now = clock.GetUtcNow();
        var record = new ClusterRecord
        {
            Name = documents[0]["cluster"]?.GetValue<string>() ?? InlineName,
            Barrier = ClusterBarrier.Create(nodeJobs.Select((j, i) => (j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), documents[i]))),
            StartDeadline = (now + options.Value.StartTimeout).ToUnixTimeMilliseconds(),
        };
        return ClusterStore.InsertBarrier(nodeJobs[0].Id, record.Outcome, record.StartDeadline, now.ToUnixTimeMilliseconds(), record.ToJson());
    }

    private static ClusterSplit Failed(IReadOnlyDictionary<string, string[]> errors) => new([], null, errors);
}
