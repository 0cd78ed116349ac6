using CompassCi.Silo.Database;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// Gets the database ready before the silo starts: the configured server, or a private MariaDB it
/// provisions itself; then the schema migrations.
/// </summary>
public static class DatabaseBootstrap
{
    /// <summary>The connection string to use, and the private server to stop at exit (null when external).</summary>
    public static async Task<(string ConnectionString, LocalMariaDb? Server)> PrepareAsync(CompassCiOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        LocalMariaDb? server = null;
        var connectionString = options.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var directory = Path.GetFullPath(Path.Combine(options.DataDirectory, "mariadb"));
            loggers.CreateLogger(typeof(DatabaseBootstrap)).LogInformation("No connection string configured: running a private MariaDB in {Directory}", directory);
            server = await LocalMariaDb.StartAsync(
                new LocalMariaDbOptions
                {
                    DataDirectory = directory, Port = options.DatabasePort, InstallIfMissing = options.InstallDatabase,
                    BufferPoolMegabytes = options.DatabaseBufferPoolMegabytes, RedoLogMegabytes = options.DatabaseRedoLogMegabytes,
                },
                loggers.CreateLogger<LocalMariaDb>(),
                cancellationToken);
            connectionString = server.ConnectionString;
        }

        await new SchemaMigrator(connectionString, loggers.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken);
        // Migrations set their own, longer limits; everything after them gets the deadlines.
        return (DatabaseDeadlines.Apply(connectionString, options), server);
    }
}
