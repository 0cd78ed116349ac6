using System.Diagnostics;
using System.Threading.Channels;
using CompassCi.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Hands pending jobs out in batches: the claims that arrive together (from every queue of this silo) become one
/// conditional <c>UPDATE</c> of all their rows and one read of the rows it moved, in one transaction and one round trip.
/// The condition is the job's: still pending, not cancelled, and — for a consume request that may be retried — still
/// the request's latest attempt (<see cref="ConsumeRequestStore.FenceCondition"/>), so a job is handed out at most
/// once whatever else runs (another silo's queue, a retry, a JobGrain). A request's first attempt records itself in
/// the same transaction (its token is the fence), so such a consume costs one commit, not two. No job grain is loaded: the queue already knows
/// the job is pending, and the answer is the row as the same transaction left it.
/// </summary>
/// <remarks>
/// A claim whose row did not move answers null, and the caller decides through the job's grain (which knows every other
/// case: a cancelled job ends, a retry of the same request gets its job again, a job no longer pending is refused).
/// </remarks>
public sealed class JobClaimStore : IAsyncDisposable
{
    private const int MaxLockRetries = 5;

    /// <summary>
    /// The longest a claim waits for its batch before it fails unrun. A healthy database answers a batch in milliseconds
    /// (p99 under 0.1 s at 100,000 pending on 2 cores); one that has kept a claim waiting this long is hung behind the
    /// batch before it, and the testbox is better served by a 503 now (it asks again) than by a statement timeout of
    /// its own after that wait: one batch runs at a time, so the wait and the run would add up.
    /// </summary>
    private static readonly TimeSpan MaxQueueWait = TimeSpan.FromSeconds(2);

    private readonly Channel<PendingClaim> _pending = Channel.CreateUnbounded<PendingClaim>(new UnboundedChannelOptions { SingleReader = false });
    private readonly MySqlDataSource _dataSource;
    private readonly int _maxPerBatch;
    private readonly int _timeoutSeconds;
    private readonly QueueWaitLimit _queueWait;
    private readonly SchedulerMetrics _metrics;
    private readonly ILogger<JobClaimStore> _logger;
    private readonly Task[] _loops;

    public JobClaimStore(MySqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<JobStoreOptions> options, SchedulerMetrics metrics, ILogger<JobClaimStore> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _maxPerBatch = options.Value.MaxWritesPerCommit;
        var commandTimeout = new MySqlConnectionStringBuilder(dataSource.ConnectionString).DefaultCommandTimeout;
        _timeoutSeconds = (int)commandTimeout;
        _queueWait = QueueWaitLimit.For(commandTimeout, MaxQueueWait);
        _metrics = metrics;
        _logger = logger;
        // As the group committer's loops: they outlive whoever first asked for this singleton and must not carry its flow.
        using (ExecutionContext.SuppressFlow())
        {
            _loops = Enumerable.Range(0, options.Value.ConcurrentCommits).Select(_ => Task.Run(RunAsync)).ToArray();
        }
    }

    /// <summary>
    /// Hands the job to the claim's testbox if it is still pending: the row as it is now, durable, or null when it did not
    /// move (the caller asks the job's grain). Throws when the database failed and the row shows the claim did not land.
    /// </summary>
    public Task<JobRecord?> ClaimAsync(JobClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var pending = new PendingClaim(claim);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingClaim>(_maxPerBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxPerBatch && _pending.Reader.TryRead(out var claim))
            {
                if (!FailIfWaitedTooLong(claim))
                {
                    batch.Add(claim);
                }
            }

            if (batch.Count > 0)
            {
                await ClaimBatchAsync(batch);
            }
        }
    }

    /// <summary>
    /// A claim that waited longer than <see cref="MaxQueueWait"/> (or than a statement may run, if that is shorter) is
    /// failed, never run (the job stays pending): the database is not keeping up (stopped, hung), and its testbox gets a
    /// 503 within the deadline instead of waiting behind the batch before it (see <see cref="QueueWaitLimit"/>).
    /// </summary>
    private bool FailIfWaitedTooLong(PendingClaim claim)
    {
        if (_queueWait.Exceeded(claim.Age, "claim") is not { } error)
        {
            return false;
        }

        claim.Fail(error);
        return true;
    }

    private async Task ClaimBatchAsync(List<PendingClaim> batch)
    {
        var claims = batch.Select(p => p.Claim).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                List<JobRecord> rows;
                using (CommitSpan.Start(batch.Select(p => p.Span)))
                {
                    rows = await RunTransactionAsync(claims);
                }

                _metrics.Committed(claims.Count, Stopwatch.GetElapsedTime(started));
                _metrics.ClaimBatch(claims.Count);
                Answer(batch, rows, error: null);
                return;
            }
            catch (MySqlException error) when (error.Number is MySqlErrors.Deadlock or MySqlErrors.LockWaitTimeout && attempt < MaxLockRetries)
            {
                // Rolled back (the batch stops at the failed statement and is rolled back below): running it again is safe.
                _logger.LogDebug(error, "A batch of {Count} claims lost a lock race (attempt {Attempt}); running it again", claims.Count, attempt);
            }
            catch (Exception error)
            {
                await AnswerUnknownAsync(batch, error);
                return;
            }
        }
    }

    /// <summary>The update and the read of what it moved, between START TRANSACTION and COMMIT, in one round trip.</summary>
    private async Task<List<JobRecord>> RunTransactionAsync(List<JobClaim> claims)
    {
        var (record, update, read) = ClaimStatements.For(claims);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new MySqlBatch(connection) { Timeout = _timeoutSeconds };
        command.BatchCommands.Add(new MySqlBatchCommand("START TRANSACTION"));
        if (record is not null)
        {
            command.BatchCommands.Add(record.ToBatchCommand());
        }

        command.BatchCommands.Add(update.ToBatchCommand());
        command.BatchCommands.Add(read.ToBatchCommand());
        command.BatchCommands.Add(new MySqlBatchCommand("COMMIT"));
        var rows = new List<JobRecord>(claims.Count);
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                    rows.Add(JobRows.Read(reader));
                }
            }
            while (await reader.NextResultAsync());
        }
        catch
        {
            await MySqlErrors.RollBackQuietlyAsync(connection);
            throw;
        }

        return rows;
    }

    /// <summary>Each claim gets its row when the row is now held under its lease by its testbox, else null.</summary>
    private static void Answer(List<PendingClaim> batch, IEnumerable<JobRecord> rows, Exception? error)
    {
        var byId = rows.ToDictionary(r => r.Id);
        foreach (var pending in batch)
        {
            if (byId.TryGetValue(pending.Claim.JobId, out var row) && ClaimStatements.HeldBy(row, pending.Claim))
            {
                pending.Answer(row);
            }
            else if (error is not null && (row is null || row.Stage == JobStages.Submit))
            {
                // Still pending after a failure: this claim did not land, and its caller learns why.
                pending.Fail(error);
            }
            else
            {
                pending.Answer(null);
            }
        }
    }

    /// <summary>
    /// The transaction failed without saying whether it committed (its connection broke, say): the rows decide. A row
    /// held under the claim's lease landed; one still pending did not (the error stands); anything else moved otherwise.
    /// </summary>
    private async Task AnswerUnknownAsync(List<PendingClaim> batch, Exception error)
    {
        try
        {
            var read = ClaimStatements.ReadRows(batch.Select(p => p.Claim.JobId).ToList());
            Answer(batch, await _dataSource.QueryAsync(read, JobRows.Read), error);
        }
        catch (Exception readError)
        {
            _logger.LogWarning(readError, "A batch of {Count} claims failed and its rows could not be read back", batch.Count);
            foreach (var pending in batch)
            {
                pending.Fail(error);
            }
        }
    }

    /// <summary>A claim waiting for its batch, with its span in its caller's trace (see <see cref="CommitSpan"/>).</summary>
    private sealed class PendingClaim(JobClaim claim)
    {
        private readonly TaskCompletionSource<JobRecord?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly long _queuedAt = Stopwatch.GetTimestamp();

        public JobClaim Claim { get; } = claim;

        public Activity? Span { get; } = SchedulerTracing.StartDetached(SchedulerTracing.Write);

        public Task<JobRecord?> Task => _done.Task;

        /// <summary>How long the claim has waited for its batch.</summary>
        public TimeSpan Age => Stopwatch.GetElapsedTime(_queuedAt);

        public void Answer(JobRecord? held)
        {
            SchedulerTracing.StopDetached(Span);
            _done.TrySetResult(held);
        }

        public void Fail(Exception error)
        {
            Span?.SetStatus(ActivityStatusCode.Error, error.Message);
            SchedulerTracing.StopDetached(Span);
            _done.TrySetException(error);
        }
    }
}
