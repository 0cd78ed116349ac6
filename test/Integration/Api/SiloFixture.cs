using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>One silo on its own database, shared by the tests of one class.</summary>
public class SiloFixture(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _silo;
    private HttpClient? _http;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The silo's cluster (and service) id, for tests that join it with an Orleans client.</summary>
    public string ClusterId { get; private set; } = "";

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public SchedulerClient Client => new(_http ?? throw new InvalidOperationException("not started"));

    public HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    /// <summary>Settings (environment variables) the silo starts with; a fixture for a class that needs others overrides this.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.CreateMigratedDatabaseAsync("api");
        ClusterId = "api" + Guid.NewGuid().ToString("N")[..8];
        _silo = await SiloProcess.StartAsync(ConnectionString, ClusterId, Settings);
        _http = _silo.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
