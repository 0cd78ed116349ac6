using System.Threading.Channels;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// Loads jobs by id, folding the lookups that arrive together into one <c>WHERE id IN (…)</c> query.
/// Every consume activates a JobGrain, so these reads come in bursts.
/// </summary>
internal sealed class BatchedJobReader : IAsyncDisposable
{
    private const int MaxPerQuery = 500;

    private readonly Channel<(long Id, TaskCompletionSource<JobRecord?> Done)> _pending =
        Channel.CreateUnbounded<(long, TaskCompletionSource<JobRecord?>)>();
    private readonly MySqlDataSource _dataSource;
    private readonly Task[] _loops;

    public BatchedJobReader(MySqlDataSource dataSource, int concurrentQueries)
    {
        _dataSource = dataSource;
        // The loops outlive whoever first asked for this reader: they must not inherit its flow (its span would become
        // the parent of every query after).
        using (ExecutionContext.SuppressFlow())
        {
            _loops = Enumerable.Range(0, Math.Max(1, concurrentQueries)).Select(_ => Task.Run(RunAsync)).ToArray();
        }
    }

    public Task<JobRecord?> GetAsync(long id)
    {
        var done = new TaskCompletionSource<JobRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite((id, done)), this);

        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        var group = new List<(long Id, TaskCompletionSource<JobRecord?> Done)>(MaxPerQuery);
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxPerQuery && _pending.Reader.TryRead(out var item))
            {
                group.Add(item);
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                var found = await LoadAsync(group.Select(g => g.Id).Distinct().ToList());
                foreach (var (id, done) in group)
                {
                    done.TrySetResult(found.GetValueOrDefault(id));
                }
            }
            catch (Exception error)
            {
                foreach (var (_, done) in group)
                {
                    done.TrySetException(error);
                }
            }
        }
    }

    private async Task<Dictionary<long, JobRecord>> LoadAsync(List<long> ids)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        // Ids are longs, never text, so inlining them cannot inject anything.
        command.CommandText = $"SELECT {JobRows.Columns} FROM jobs WHERE id IN ({string.Join(',', ids)})";
        var result = new Dictionary<long, JobRecord>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var job = JobRows.Read(reader);
            result[job.Id] = job;
        }

        return result;
    }
}
