using CompassCi.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// A private MariaDB for the test assembly, in a fresh temporary directory that is deleted afterwards.
/// Test classes isolate themselves by creating databases of their own on it.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "compassci-it-" + Guid.NewGuid().ToString("N")[..12]);
    private LocalMariaDb? _server;

    /// <summary>The running server.</summary>
    public LocalMariaDb Server => _server ?? throw new InvalidOperationException("The MariaDB fixture has not started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        // As the README promises: on a fresh machine, as root, the test command installs mariadb-server itself.
        _server = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = _directory, Port = 0, InstallIfMissing = true }, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates an empty database whose name starts with <paramref name="prefix"/>.</summary>
    /// <returns>Its connection string for the application user.</returns>
    public Task<string> CreateEmptyDatabaseAsync(string prefix) =>
        Server.CreateDatabaseAsync(UniqueName(prefix), TestContext.Current.CancellationToken);

    /// <summary>Creates a database whose name starts with <paramref name="prefix"/> and applies every migration to it.</summary>
    /// <returns>Its connection string for the application user.</returns>
    public async Task<string> CreateMigratedDatabaseAsync(string prefix)
    {
        var connectionString = await CreateEmptyDatabaseAsync(prefix);
        await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(TestContext.Current.CancellationToken);
        return connectionString;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string UniqueName(string prefix)
    {
        // LocalMariaDb accepts only letters, digits and '_' (at most 64) as database names.
        var clean = new string([.. prefix.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(40)]);
        return $"t_{clean}_{Guid.NewGuid().ToString("N")[..16]}";
    }
}
