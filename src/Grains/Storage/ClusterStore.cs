using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>cluster_specs</c> and <c>cluster_barriers</c>, and the reader of the node jobs a barrier watches.
/// A cluster's first barrier row is written with its node jobs (<see cref="InsertBarrier"/> in
/// <see cref="JobStore.InsertClusterAsync"/>).
/// </summary>
public sealed class ClusterStore(MySqlDataSource dataSource)
{
    /// <summary>Stores or replaces a named cluster spec (as JSON). True when it replaced one.</summary>
    public async Task<bool> PutSpecAsync(string name, string specJson, long nowMillis) =>
        // MariaDB counts 2 affected rows for an update through ON DUPLICATE KEY.
        await dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO cluster_specs (name, spec, updated_at) VALUES (@name, @spec, @now) ON DUPLICATE KEY UPDATE spec = VALUES(spec), updated_at = VALUES(updated_at)",
            P("@name", name), P("@spec", specJson), P("@now", nowMillis))) == 2;

    /// <summary>The named spec as JSON; null when none is stored under that name.</summary>
    public Task<string?> GetSpecAsync(string name) =>
        dataSource.TextAsync(new SqlStatement("SELECT spec FROM cluster_specs WHERE name = @name", P("@name", name)));

    /// <summary>A new cluster's barrier row, for the transaction that stores its node jobs.</summary>
    public static SqlStatement InsertBarrier(long clusterId, string outcome, long? startDeadline, long createdAt, string state) => new(
        "INSERT INTO cluster_barriers (cluster_id, version, outcome, start_deadline, created_at, state) VALUES (@cluster_id, 1, @outcome, @start_deadline, @created_at, @state)",
        Id("@cluster_id", clusterId), P("@outcome", outcome), P("@start_deadline", startDeadline), P("@created_at", createdAt), P("@state", state));

    /// <summary>The cluster's state document and version; null when there is no such cluster.</summary>
    public Task<(string State, int Version)?> LoadAsync(long clusterId) =>
        dataSource.FirstOrDefaultAsync<(string, int)?>(
            new SqlStatement("SELECT state, version FROM cluster_barriers WHERE cluster_id = @id", Id("@id", clusterId)),
            r => (r.GetString(0), r.GetInt32(1)));

    /// <summary>Writes the cluster's state if the row still has <paramref name="expectedVersion"/>; false when someone wrote first.</summary>
    public async Task<bool> SaveAsync(long clusterId, int expectedVersion, string outcome, long? startDeadline, string state) =>
        await dataSource.ExecuteAsync(new SqlStatement(
            "UPDATE cluster_barriers SET version = version + 1, outcome = @outcome, start_deadline = @start_deadline, state = @state WHERE cluster_id = @id AND version = @expected",
            Id("@id", clusterId), P("@expected", expectedVersion), P("@outcome", outcome), P("@start_deadline", startDeadline), P("@state", state))) == 1;

    /// <summary>The node jobs of a cluster: id, stage, health and whether a cancel was asked for.</summary>
    public Task<List<ClusterNodeJob>> ListNodeJobsAsync(long clusterId) =>
        dataSource.QueryAsync(
            new SqlStatement("SELECT id, job_stage, job_health, cancel_requested FROM jobs WHERE cluster_id = @id ORDER BY id", Id("@id", clusterId)),
            r => new ClusterNodeJob(r.GetId(0), r.GetString(1), r.GetStringOrNull(2), r.GetBoolean(3)));

    /// <summary>
    /// Clusters whose barrier must act because of time, or because telling it was lost: active ones past their start
    /// deadline, active ones with a node job that ended other than successfully or was cancelled, active ones whose
    /// node jobs all succeeded (to be marked finished), and aborted ones with a node job not yet closed.
    /// </summary>
    public Task<List<long>> ListNeedingReconcileAsync(long nowMillis, int limit) =>
        dataSource.IdsAsync(new SqlStatement(
            "SELECT cluster_id FROM cluster_barriers WHERE outcome = 'active' AND start_deadline < @now " +
            "UNION SELECT c.cluster_id FROM cluster_barriers c JOIN jobs j ON j.cluster_id = c.cluster_id " +
            "WHERE (c.outcome = 'active' AND ((j.job_stage = 'finish' AND j.job_health <> 'success') OR j.cancel_requested = 1)) " +
            "OR (c.outcome = 'aborted' AND j.job_stage <> 'finish') " +
            "UNION SELECT c.cluster_id FROM cluster_barriers c WHERE c.outcome = 'active' AND NOT EXISTS " +
            "(SELECT 1 FROM jobs j WHERE j.cluster_id = c.cluster_id AND NOT (j.job_stage = 'finish' AND j.job_health = 'success')) " +
            $"LIMIT {SqlLists.Limit(limit)}",
            P("@now", nowMillis)));
}
