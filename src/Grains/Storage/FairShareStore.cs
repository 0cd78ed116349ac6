using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// What fair-share reads and keeps: held and queued jobs per account from <c>jobs</c> (by stage, through ix_jobs_stage),
/// decayed usage in <c>account_usage</c> and the mean job's usage in <c>fairshare_job_length</c>. Shares and running caps
/// are the accounts' rows, read through <see cref="AccountStore"/>.
/// </summary>
public sealed class FairShareStore(MySqlDataSource dataSource)
{
    /// <summary>Stored usage per account, each as of its own time.</summary>
    public Task<List<(string Account, double Usage, long AtMs)>> ReadUsageAsync() =>
        dataSource.QueryAsync(
            new SqlStatement("SELECT my_account, usage_seconds, usage_at FROM account_usage"),
            r => (r.GetString(0), r.GetDouble(1), r.GetInt64(2)));

    /// <summary>Jobs testboxes hold now (boot to renew), per account.</summary>
    public Task<List<(string Account, int Held)>> CountHeldAsync() =>
        dataSource.QueryAsync(
            new SqlStatement($"SELECT my_account, COUNT(*) FROM jobs WHERE job_stage IN {SqlLists.ActiveStages} GROUP BY my_account"),
            r => (r.GetString(0), r.GetInt32(1)));

    /// <summary>Queued (pending) jobs per account.</summary>
    public Task<List<(string Account, int Queued)>> CountQueuedAsync() =>
        dataSource.QueryAsync(
            new SqlStatement($"SELECT my_account, COUNT(*) FROM jobs WHERE job_stage = '{JobStages.Submit}' GROUP BY my_account"),
            r => (r.GetString(0), r.GetInt32(1)));

    /// <summary>Every account that has a job, in any stage (a loose scan of the (my_account, id) index).</summary>
    public Task<List<string>> ListAccountsWithJobsAsync() =>
        dataSource.QueryAsync(new SqlStatement("SELECT DISTINCT my_account FROM jobs"), r => r.GetString(0));

    /// <summary>Writes usage for many accounts, all as of <paramref name="atMs"/>, in one statement.</summary>
    public Task SaveUsageAsync(IReadOnlyList<(string Account, double Usage)> usage, long atMs)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Count == 0)
        {
            return Task.CompletedTask;
        }

        var rows = new List<string>(usage.Count);
        var parameters = new List<MySqlParameter>((usage.Count * 2) + 1) { P("@at", atMs) };
        for (var i = 0; i < usage.Count; i++)
        {
            rows.Add($"(@a{i}, @u{i}, @at)");
            parameters.Add(P($"@a{i}", usage[i].Account));
            parameters.Add(P($"@u{i}", usage[i].Usage));
        }

        return dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO account_usage (my_account, usage_seconds, usage_at) VALUES " + string.Join(", ", rows) +
            " ON DUPLICATE KEY UPDATE usage_seconds = VALUES(usage_seconds), usage_at = VALUES(usage_at)",
            [.. parameters]));
    }

    /// <summary>The decayed sum of finished jobs' usage and their decayed count, as of their time; null when never saved.</summary>
    public Task<(double UsageSum, double Jobs, long AtMs)?> ReadJobLengthAsync() =>
        dataSource.FirstOrDefaultAsync<(double, double, long)?>(
            new SqlStatement("SELECT usage_sum, jobs, at_ms FROM fairshare_job_length WHERE id = 1"),
            r => (r.GetDouble(0), r.GetDouble(1), r.GetInt64(2)));

    public Task SaveJobLengthAsync(double usageSum, double jobs, long atMs) =>
        dataSource.ExecuteAsync(new SqlStatement(
            "INSERT INTO fairshare_job_length (id, usage_sum, jobs, at_ms) VALUES (1, @s, @j, @at) " +
            "ON DUPLICATE KEY UPDATE usage_sum = VALUES(usage_sum), jobs = VALUES(jobs), at_ms = VALUES(at_ms)",
            P("@s", usageSum), P("@j", jobs), P("@at", atMs)));
}
