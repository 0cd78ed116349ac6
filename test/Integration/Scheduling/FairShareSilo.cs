using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// One silo whose database has the fair-share tests' accounts before it starts: alice, bob and carol with shares
/// 1:1:2, dave (1, arrives late), and erin (1, running cap 2).
/// </summary>
public sealed class FairShareSilo(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _silo;
    private HttpClient? _http;

    public string ConnectionString { get; private set; } = "";

    public HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    public SchedulerClient Client => new(Http);

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.CreateMigratedDatabaseAsync("fair");
        // TODO(merge): admin API — create these accounts with POST /api/v1/accounts once it exists.
        await Sql.ExecuteAsync(ConnectionString,
            "INSERT INTO accounts (my_account, my_email, my_name, token_hash, shares, running_limit, created_at, updated_at) VALUES " +
            string.Join(", ", new (string Name, int Shares, string Cap)[] { ("alice", 1, "NULL"), ("bob", 1, "NULL"), ("carol", 2, "NULL"), ("dave", 1, "NULL"), ("erin", 1, "2") }
                .Select(a => $"('{a.Name}', '{a.Name}@example.com', '{a.Name}', UNHEX(SHA2('{a.Name}', 256)), {a.Shares}, {a.Cap}, 0, 0)")));
        _silo = await SiloProcess.StartAsync(ConnectionString, "fair" + Guid.NewGuid().ToString("N")[..8]);
        _http = _silo.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
