using CompassCi.Silo.Database;
using MySqlConnector;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// What the silo does about its private database's restarts (drop pooled connections to the dead server) and about
/// losing it for good (stop, with an exit code that says so, rather than answer 503 for ever).
/// </summary>
public static class PrivateDatabaseSupervision
{
    /// <summary>The exit code of a silo whose private database died and could not be restarted (sysexits' EX_UNAVAILABLE).</summary>
    public const int DatabaseLostExitCode = 69;

    public static void Attach(LocalMariaDb database, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(services);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PrivateDatabaseSupervision));
        database.Restarted += (_, _) => _ = ClearPoolsAsync(services.GetRequiredService<MySqlDataSource>(), logger);
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        database.ServerLost.Register(() =>
        {
            logger.LogCritical("The private MariaDB could not be restarted; stopping the silo");
            lifetime.StopApplication();
        });
    }

    // Each pooled connection to the dead server would fail one request before the pool let it go.
    private static async Task ClearPoolsAsync(MySqlDataSource dataSource, ILogger logger)
    {
        try
        {
            await MySqlConnection.ClearAllPoolsAsync();
            await using var connection = dataSource.CreateConnection();
            await MySqlConnection.ClearPoolAsync(connection);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not clear the connection pools after the private MariaDB restarted");
        }
    }
}
