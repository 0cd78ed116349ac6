using System.Diagnostics;
using System.Threading.Channels;
using CompassCi.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Groups writes from many grains into shared transactions. With fsync on every commit a single writer
/// manages a few hundred commits a second; sharing one commit among all writes that arrive together
/// keeps durability and multiplies throughput.
/// </summary>
public sealed class GroupCommitter : IAsyncDisposable
{
    private const int MaxLockRetries = 5;

    private readonly Channel<JobWrite> _pending = Channel.CreateUnbounded<JobWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly MySqlDataSource _dataSource;
    private readonly int _maxPerCommit;
    private readonly ILogger _logger;
    private readonly Task[] _loops;
    private readonly QueueWaitLimit _queueWait;
    private readonly int _batchTimeoutSeconds;
    private readonly SchedulerMetrics _metrics;

    public GroupCommitter(MySqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<JobStoreOptions> options, SchedulerMetrics metrics, ILogger<GroupCommitter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _maxPerCommit = options.Value.MaxWritesPerCommit;
        _metrics = metrics;
        _logger = logger;
        // As long as one statement may run (the connection string's Default Command Timeout; 0 is no limit).
        var commandTimeout = new MySqlConnectionStringBuilder(dataSource.ConnectionString).DefaultCommandTimeout;
        // A MySqlBatch does not take the connection string's Default Command Timeout: without this it waits for ever.
        _batchTimeoutSeconds = (int)commandTimeout;
        _queueWait = QueueWaitLimit.For(commandTimeout);
        // The loops outlive whoever first asked for this singleton: they must not inherit its flow (its span would
        // become the parent of every commit after).
        using (ExecutionContext.SuppressFlow())
        {
            _loops = Enumerable.Range(0, options.Value.ConcurrentCommits).Select(_ => Task.Run(RunAsync)).ToArray();
        }
    }

    /// <summary>Queues a statement; the task ends with its affected-row count after the commit.</summary>
    internal Task<int> WriteAsync(SqlStatement statement) => WriteAsync([statement], JobWrite.RowCount);

    /// <summary>
    /// Queues statements that commit together or not at all; the task ends, after the commit, with the integer
    /// <paramref name="resultSql"/> reads right after them. A duplicate key in any of them rolls all of them back
    /// and answers 0.
    /// </summary>
    internal Task<int> WriteAsync(IReadOnlyList<SqlStatement> statements, string resultSql) => WriteAsync(new JobWrite(statements, resultSql));

    /// <summary>
    /// Queues a single-row insert; the task ends with 1 after the commit (0 for a duplicate key). Inserts of one table that
    /// arrive together share one multi-row statement.
    /// </summary>
    internal Task<int> InsertAsync(RowInsert row) => WriteAsync(new JobWrite(row));

    private Task<int> WriteAsync(JobWrite write)
    {
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(write), this);

        return write.Completion;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        var group = new List<JobWrite>(_maxPerCommit);
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < _maxPerCommit && _pending.Reader.TryRead(out var write))
            {
                if (!FailIfWaitedTooLong(write))
                {
                    group.Add(write);
                }
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitTogetherAsync(group);
            }
            catch (Exception error) when (group.Count > 1)
            {
                // One bad statement (say, a duplicate id) must not fail its neighbours: redo each alone.
                _logger.LogDebug(error, "Shared commit of {Count} writes failed; committing them one by one", group.Count);
                foreach (var write in group)
                {
                    await CommitAloneAsync(write);
                }
            }
            catch (MySqlException error) when (error.Number is MySqlErrors.Deadlock or MySqlErrors.LockWaitTimeout)
            {
                // Rolled back whole by the server: run it again, as a write redone alone is.
                _logger.LogDebug(error, "A write lost a lock race; running it again");
                await CommitAloneAsync(group[0]);
            }
            catch (Exception error)
            {
                await FailOrReportDuplicate(group[0], error);
            }
        }
    }

    private async Task CommitTogetherAsync(List<JobWrite> group)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = CommitSpan.Start(group.Select(w => w.Span));
        await using var connection = await _dataSource.OpenConnectionAsync();
        // START TRANSACTION and COMMIT travel in the same batch as the writes: one round trip per commit.
        await using var batch = new MySqlBatch(connection) { Timeout = _batchTimeoutSeconds };
        batch.BatchCommands.Add(new MySqlBatchCommand("START TRANSACTION"));
        // Rows of one table's inserts first, several to a statement; then every other write, each as it is. Each
        // statement is followed by its own result query (MySqlBatch reports no per-command row counts).
        var shared = SharedInserts(group);
        foreach (var rows in shared)
        {
            batch.BatchCommands.Add(MultiRowInsert(rows).ToBatchCommand());
            batch.BatchCommands.Add(new MySqlBatchCommand(JobWrite.RowCount));
        }

        var alone = shared.Count == 0 ? group : [.. group.Except(shared.SelectMany(rows => rows))];
        foreach (var write in alone)
        {
            write.AddTo(batch);
        }

        batch.BatchCommands.Add(new MySqlBatchCommand("COMMIT"));
        var counts = new List<int>(shared.Count + alone.Count);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                    counts.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            while (await reader.NextResultAsync());
        }
        catch
        {
            // A failed statement stops the batch before COMMIT: roll back so the pooled connection carries no open transaction.
            await MySqlErrors.RollBackQuietlyAsync(connection);
            throw;
        }

        if (counts.Count != shared.Count + alone.Count)
        {
            throw new InvalidOperationException($"expected {shared.Count + alone.Count} results from a shared commit, got {counts.Count}");
        }

        _metrics.Committed(group.Count, Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < shared.Count; i++)
        {
            // A multi-row insert stores every row or fails whole (and the group is then redone write by write).
            var stored = counts[i] == shared[i].Count ? 1 : 0;
            foreach (var write in shared[i])
            {
                write.Succeed(stored);
            }
        }

        for (var i = 0; i < alone.Count; i++)
        {
            alone[i].Succeed(counts[shared.Count + i]);
        }
    }

    /// <summary>The group's single-row inserts that can share a statement: two or more of the same table and columns.</summary>
    private static List<List<JobWrite>> SharedInserts(List<JobWrite> group) =>
        [.. group.Where(w => w.Row is not null).GroupBy(w => w.Row!.Head, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.ToList())];

    private static SqlStatement MultiRowInsert(List<JobWrite> rows)
    {
        var values = rows.Select((write, i) => write.Row!.Values($"r{i}_")).ToList();
        return new SqlStatement(rows[0].Row!.Head + string.Join(", ", values.Select(v => v.Values)), [.. values.SelectMany(v => v.Parameters)]);
    }

    /// <summary>
    /// A write that waited longer than a statement may run is failed, never run: the database is not keeping up (stopped,
    /// hung), and its caller gets a 503 within the deadline instead of waiting behind other writes' timeouts.
    /// </summary>
    private bool FailIfWaitedTooLong(JobWrite write)
    {
        if (_queueWait.Exceeded(write.Age, "write") is not { } error)
        {
            return false;
        }

        write.Fail(error);
        return true;
    }

    private async Task CommitAloneAsync(JobWrite write)
    {
        if (FailIfWaitedTooLong(write))
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var span = CommitSpan.Start([write.Span]);
                await using var connection = await _dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new MySqlBatch(connection, transaction) { Timeout = _batchTimeoutSeconds };
                write.AddTo(batch);
                var started = Stopwatch.GetTimestamp();
                var result = Convert.ToInt32(await batch.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                await transaction.CommitAsync();
                _metrics.Committed(1, Stopwatch.GetElapsedTime(started));
                write.Succeed(result);
                return;
            }
            catch (MySqlException error) when (error.Number is MySqlErrors.Deadlock or MySqlErrors.LockWaitTimeout && attempt < MaxLockRetries)
            {
                // Writes redone alone run side by side, and inserts of one key (a repeated submit_id) can deadlock each
                // other: the server rolled the victim back whole, so running it again is safe.
                _logger.LogDebug(error, "Write redone alone lost a lock race (attempt {Attempt}); running it again", attempt);
            }
            catch (Exception error)
            {
                await FailOrReportDuplicate(write, error);
                return;
            }
        }
    }

    private static Task FailOrReportDuplicate(JobWrite write, Exception error)
    {
        // A duplicate key changes nothing; the caller reads "0 rows" and picks another id.
        if (error is MySqlException { Number: MySqlErrors.DuplicateKey })
        {
            write.Succeed(0);
        }
        else
        {
            write.Fail(error);
        }

        return Task.CompletedTask;
    }
}
