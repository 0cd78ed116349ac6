using System.Diagnostics;
using CompassCi.Grains.Telemetry;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Statements that must commit together, waiting for a shared commit. Completes with the integer its result query
/// reads once the commit that carried it is durable, so a caller never sees success for a write that could still be
/// lost.
/// </summary>
internal sealed class JobWrite
{
    /// <summary>The default result: how many rows the last statement changed.</summary>
    public const string RowCount = "SELECT ROW_COUNT()";

    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _queuedAt = Stopwatch.GetTimestamp();

    private IReadOnlyList<SqlStatement>? _statements;

    public JobWrite(IReadOnlyList<SqlStatement> statements, string resultSql)
    {
        _statements = statements;
        ResultSql = resultSql;
        Span = SchedulerTracing.StartDetached(SchedulerTracing.Write);
    }

    /// <summary>A single-row insert; its rows count is the result.</summary>
    public JobWrite(RowInsert row)
        : this([], RowCount)
    {
        Row = row;
        _statements = null;
    }

    /// <summary>
    /// This write's span in its caller's trace, from queued to durable (null when the caller is in none or nobody
    /// listens): the shared commit runs elsewhere, and this is where the caller's trace meets it.
    /// </summary>
    public Activity? Span { get; }

    /// <summary>
    /// The statements; for a single-row insert, its row as an insert of its own, made only when the row ends up not
    /// sharing a multi-row insert.
    /// </summary>
    public IReadOnlyList<SqlStatement> Statements => _statements ??= [Row!.Alone()];

    /// <summary>
    /// When the write is a single-row insert, the row, to share a multi-row insert with others; null otherwise.
    /// </summary>
    public RowInsert? Row { get; }

    /// <summary>
    /// A query run right after the statements, in the same transaction, whose single integer is the result. It may use
    /// the last statement's parameters.
    /// </summary>
    public string ResultSql { get; }

    public Task<int> Completion => _done.Task;

    /// <summary>How long ago the write was queued.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(_queuedAt);

    /// <summary>Adds the statements and the result query to <paramref name="batch"/>.</summary>
    public void AddTo(MySqlBatch batch)
    {
        foreach (var statement in Statements)
        {
            batch.BatchCommands.Add(statement.ToBatchCommand());
        }

        // The result query may name the last statement's parameters (say, the key it wrote).
        batch.BatchCommands.Add(new SqlStatement(ResultSql, Statements.Count > 0 ? Statements[^1].Parameters : []).ToBatchCommand());
    }

    public void Succeed(int result)
    {
        SchedulerTracing.StopDetached(Span);
        _done.TrySetResult(result);
    }

    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Span?.SetStatus(ActivityStatusCode.Error, error.Message);
        SchedulerTracing.StopDetached(Span);
        _done.TrySetException(error);
    }
}
