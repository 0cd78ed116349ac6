using System.Globalization;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Read-only questions over many jobs, for the API: pages of jobs, crash counts, how many jobs are ahead of one.
/// Kept apart from <see cref="JobStore"/>, which owns the table's writes and the reads the scheduling path needs.
/// </summary>
public sealed class JobQueries(MySqlConnector.MySqlDataSource dataSource)
{
    /// <summary>A page of jobs, newest first.</summary>
    public Task<List<JobRecord>> ListAsync(JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var parameters = new List<MySqlConnector.MySqlParameter>();
        void Filter(string column, object? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{column}");
                parameters.Add(P("@" + column, value));
            }
        }

        Filter("job_stage", query.Stage);
        Filter("my_account", query.Account);
        Filter("suite", query.Suite);
        Filter("tbox_group", query.TboxGroup);
        Filter("testbox", query.Testbox);
        if (query.Errid is { } errid)
        {
            where.Add("id IN (SELECT job_id FROM job_errids WHERE errid = @errid)");
            parameters.Add(P("@errid", errid));
        }

        if (query.Stat is { } stat)
        {
            // The key is quoted into a JSON path; the endpoint refuses names with a quote, a backslash or a control character.
            parameters.Add(P("@stat_path", $"$.\"{stat}\""));
            where.Add("JSON_EXISTS(stats, @stat_path)");
            if (query.StatMin is { } min)
            {
                where.Add("CAST(JSON_VALUE(stats, @stat_path) AS DOUBLE) >= @stat_min");
                parameters.Add(P("@stat_min", min));
            }

            if (query.StatMax is { } max)
            {
                where.Add("CAST(JSON_VALUE(stats, @stat_path) AS DOUBLE) <= @stat_max");
                parameters.Add(P("@stat_max", max));
            }
        }

        if (query.BeforeId is { } before)
        {
            where.Add("id < @before");
            parameters.Add(Id("@before", before));
        }

        var sql = $"SELECT {JobRows.Columns} FROM jobs" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  $" ORDER BY id DESC LIMIT {SqlLists.Limit(query.Limit, 1000)}";
        return dataSource.QueryAsync(new SqlStatement(sql, [.. parameters]), JobRows.Read);
    }

    /// <summary>Crashed jobs that ended in [<paramref name="sinceMillis"/>, <paramref name="untilMillis"/>), counted by cause and notify.</summary>
    public Task<List<CrashCount>> CountCrashesAsync(long sinceMillis, long untilMillis) =>
        dataSource.QueryAsync(
            new SqlStatement(
                "SELECT JSON_VALUE(crash, '$.cause') AS cause, JSON_VALUE(crash, '$.notify') AS notify, COUNT(*), " +
                "SUM(JSON_VALUE(crash, '$.fatal') IN ('true', '1')), SUM(rescheduled_as IS NOT NULL) FROM jobs " +
                "WHERE finish_time >= @since AND finish_time < @until AND crash IS NOT NULL GROUP BY cause, notify ORDER BY cause, notify",
                P("@since", sinceMillis), P("@until", untilMillis)),
            r => new CrashCount(
                r.GetStringOrNull(0) ?? CrashCause.Unknown,
                r.GetStringOrNull(1) ?? CrashNotify.Unknown,
                r.GetInt64(2),
                r.IsDBNull(3) ? 0 : Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture),
                r.IsDBNull(4) ? 0 : Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)));

    /// <summary>Pending jobs of the same queue that go before <paramref name="job"/>: higher priority, or as high and older.</summary>
    public async Task<int> CountAheadAsync(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return (int)(await dataSource.LongAsync(new SqlStatement(
            "SELECT COUNT(*) FROM jobs WHERE queue_key = @key AND job_stage = 'submit' AND id <> @id AND " +
            "(priority > @priority OR (priority = @priority AND (submit_time < @time OR (submit_time = @time AND id < @id))))",
            P("@key", job.QueueKey), Id("@id", job.Id), P("@priority", job.Priority), P("@time", job.SubmitTime))) ?? 0);
    }
}
