using MySqlConnector;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// Every database call of the silo gets a deadline, so a database that hangs (stopped, partitioned, overloaded) turns
/// into a 503 with Retry-After within seconds instead of a request that waits as long as the database does.
/// </summary>
public static class DatabaseDeadlines
{
    /// <summary>How long the driver waits for a timed-out statement to be cancelled before it closes the connection.</summary>
    public const int CancellationTimeoutSeconds = 2;

    /// <summary>
    /// <paramref name="connectionString"/> with the configured connect and command timeouts; limits the operator wrote
    /// into the connection string itself are kept.
    /// </summary>
    public static string Apply(string connectionString, CompassCiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new MySqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Connection Timeout"))
        {
            builder.ConnectionTimeout = (uint)options.DatabaseConnectTimeoutSeconds;
        }

        if (!builder.ContainsKey("Default Command Timeout"))
        {
            builder.DefaultCommandTimeout = (uint)options.DatabaseCommandTimeoutSeconds;
        }

        if (!builder.ContainsKey("Cancellation Timeout"))
        {
            // A server that does not answer the cancel (it is stopped) must not hold the connection for ever.
            builder.CancellationTimeout = CancellationTimeoutSeconds;
        }

        return builder.ConnectionString;
    }
}
