using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// One statement waiting for a shared commit. Completes with the rows it changed once the commit that
/// carried it is durable, so a caller never sees success for a write that could still be lost.
/// </summary>
internal sealed class JobWrite
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JobWrite(string sql, MySqlParameter[] parameters)
    {
        Sql = sql;
        Parameters = parameters;
    }

    public string Sql { get; }

    public MySqlParameter[] Parameters { get; }

    public Task<int> Completion => _done.Task;

    public MySqlBatchCommand ToBatchCommand()
    {
        var command = new MySqlBatchCommand(Sql);
        foreach (var p in Parameters)
        {
            command.Parameters.Add(p.Clone());
        }

        return command;
    }

    public void Succeed(int rowsAffected) => _done.TrySetResult(rowsAffected);

    public void Fail(Exception error) => _done.TrySetException(error);
}
