using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// One statement waiting for a shared commit. Completes with the rows it changed once the commit that
/// carried it is durable, so a caller never sees success for a write that could still be lost.
/// </summary>
internal sealed class JobWrite
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JobWrite(string sql, MySqlParameter[] parameters, string resultSql = RowCount)
    {
        Sql = sql;
        Parameters = parameters;
        ResultSql = resultSql;
    }

    /// <summary>The default result: how many rows the statement changed.</summary>
    public const string RowCount = "SELECT ROW_COUNT()";

    public string Sql { get; }

    /// <summary>A query run right after the statement, in the same transaction, whose single integer is the result.</summary>
    public string ResultSql { get; }

    public MySqlParameter[] Parameters { get; }

    public Task<int> Completion => _done.Task;

    public MySqlBatchCommand ToBatchCommand() => Command(Sql);

    public MySqlBatchCommand ToResultCommand() => Command(ResultSql);

    private MySqlBatchCommand Command(string sql)
    {
        var command = new MySqlBatchCommand(sql);
        foreach (var p in Parameters)
        {
            command.Parameters.Add(p.Clone());
        }

        return command;
    }

    public void Succeed(int rowsAffected) => _done.TrySetResult(rowsAffected);

    public void Fail(Exception error) => _done.TrySetException(error);
}
