using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The SQL of clusters: stored cluster specs, each cluster's barrier row, and the node jobs a barrier watches.
/// (A cluster's first write, with its node jobs, is <see cref="JobStore.InsertClusterAsync"/>.)
/// </summary>
public sealed class ClusterStore(JobStore jobs)
{
    private readonly MySqlDataSource _dataSource = jobs.DataSource;

    /// <summary>Stores or replaces a named cluster spec (as JSON). True when it replaced one.</summary>
    public async Task<bool> PutSpecAsync(string name, string specJson, long nowMillis)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "INSERT INTO cluster_specs (name, spec, updated_at) VALUES (@name, @spec, @now) " +
            "ON DUPLICATE KEY UPDATE spec = VALUES(spec), updated_at = VALUES(updated_at)", connection);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@spec", specJson);
        command.Parameters.AddWithValue("@now", nowMillis);
        // MariaDB counts 2 affected rows for an update through ON DUPLICATE KEY.
        return await command.ExecuteNonQueryAsync() == 2;
    }

    /// <summary>The named spec as JSON; null when none is stored under that name.</summary>
    public async Task<string?> GetSpecAsync(string name)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand("SELECT spec FROM cluster_specs WHERE name = @name", connection);
        command.Parameters.AddWithValue("@name", name);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The cluster's state document and version; null when there is no such cluster.</summary>
    public async Task<(string State, int Version)?> LoadAsync(long clusterId)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand("SELECT state, version FROM cluster_barriers WHERE cluster_id = @id", connection);
        command.Parameters.AddWithValue("@id", (ulong)clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt32(1)) : null;
    }

    /// <summary>Writes the cluster's state if the row still has <paramref name="expectedVersion"/>; false when someone wrote first.</summary>
    public async Task<bool> SaveAsync(long clusterId, int expectedVersion, string outcome, long? startDeadline, string state)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "UPDATE cluster_barriers SET version = version + 1, outcome = @outcome, start_deadline = @start_deadline, state = @state " +
            "WHERE cluster_id = @id AND version = @expected", connection);
        command.Parameters.AddWithValue("@id", (ulong)clusterId);
        command.Parameters.AddWithValue("@expected", expectedVersion);
        command.Parameters.AddWithValue("@outcome", outcome);
        command.Parameters.AddWithValue("@start_deadline", startDeadline);
        command.Parameters.AddWithValue("@state", state);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>The node jobs of a cluster: id, stage, health and whether a cancel was asked for.</summary>
    public async Task<List<ClusterNodeJob>> ListNodeJobsAsync(long clusterId)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT id, job_stage, job_health, cancel_requested FROM jobs WHERE cluster_id = @id ORDER BY id", connection);
        command.Parameters.AddWithValue("@id", (ulong)clusterId);
        var jobs = new List<ClusterNodeJob>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            jobs.Add(new ClusterNodeJob((long)reader.GetUInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3)));
        }

        return jobs;
    }

    /// <summary>
    /// Clusters whose barrier must act: active ones past their start deadline, active ones with a node job that
    /// ended other than successfully or was cancelled, and aborted ones with a node job not yet closed. The
    /// barrier is told when these happen; this finds the times the telling was lost.
    /// </summary>
    public Task<List<long>> ListNeedingReconcileAsync(long nowMillis, int limit) =>
        SqlIds.ReadAsync(
            _dataSource,
            "SELECT cluster_id FROM cluster_barriers WHERE outcome = 'active' AND start_deadline < @now " +
            "UNION SELECT c.cluster_id FROM cluster_barriers c JOIN jobs j ON j.cluster_id = c.cluster_id " +
            "WHERE (c.outcome = 'active' AND ((j.job_stage = 'finish' AND j.job_health <> 'success') OR j.cancel_requested = 1)) " +
            "OR (c.outcome = 'aborted' AND j.job_stage <> 'finish') " +
            $"LIMIT {Math.Clamp(limit, 1, 10_000)}",
            ("@now", nowMillis));
}
