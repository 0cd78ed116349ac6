using System.Diagnostics.Metrics;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace CompassCi.Tests.Integration.Storage;

/// <summary>The stores on one migrated test database, wired as the silo wires them (one pool, one group committer).</summary>
internal sealed class Stores : IAsyncDisposable
{
    /// <summary>The scheduler's meter, with nothing listening: what the stores count goes nowhere here.</summary>
    private static readonly SchedulerMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private readonly List<MySqlDataSource> _otherPools = [];

    private Stores(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = new MySqlDataSource(new MySqlConnectionStringBuilder(connectionString) { ConnectionReset = false, AllowUserVariables = true }.ConnectionString);
        var options = Options.Create(new JobStoreOptions());
        Committer = new GroupCommitter(DataSource, options, Metrics, NullLogger<GroupCommitter>.Instance);
        Jobs = new JobStore(DataSource, Committer);
        ConsumeRequests = new ConsumeRequestStore(DataSource, Committer);
        SubmitKeys = new SubmitKeyStore(DataSource);
        Effects = new JobEffectStore(DataSource, Committer);
        Claims = new JobClaimStore(DataSource, options, Metrics, NullLogger<JobClaimStore>.Instance);
    }

    public string ConnectionString { get; }

    public MySqlDataSource DataSource { get; }

    public GroupCommitter Committer { get; }

    public JobStore Jobs { get; }

    public ConsumeRequestStore ConsumeRequests { get; }

    public SubmitKeyStore SubmitKeys { get; }

    public JobEffectStore Effects { get; }

    /// <summary>The batched claim, as one silo has it.</summary>
    public JobClaimStore Claims { get; }

    /// <summary>
    /// Another silo's batched claim on the same database (its own pool): to race <see cref="Claims"/>; with
    /// <paramref name="commandTimeoutSeconds"/>, its statements give up after that long.
    /// </summary>
    public JobClaimStore SecondClaimStore(uint? commandTimeoutSeconds = null)
    {
        var builder = new MySqlConnectionStringBuilder(DataSource.ConnectionString);
        if (commandTimeoutSeconds is { } seconds)
        {
            builder.DefaultCommandTimeout = seconds;
        }

        var pool = new MySqlDataSource(builder.ConnectionString);
        _otherPools.Add(pool);
        return new JobClaimStore(pool, Options.Create(new JobStoreOptions()), Metrics, NullLogger<JobClaimStore>.Instance);
    }

    public static async Task<Stores> CreateAsync(Infrastructure.MariaDbFixture database, string prefix) =>
        new(await database.CreateMigratedDatabaseAsync(prefix));

    public async ValueTask DisposeAsync()
    {
        await Claims.DisposeAsync();
        await Jobs.DisposeAsync();
        await Committer.DisposeAsync();
        await DataSource.DisposeAsync();
        foreach (var pool in _otherPools)
        {
            await pool.DisposeAsync();
        }
    }
}
