using CompassCi.Silo.Database;
using CompassCi.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CompassCi.Tests.Integration.Database;

/// <summary>The schema migrations and the private MariaDB they run on.</summary>
public sealed class SchemaMigratorTests(MariaDbFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every script embedded in the silo, by name, in version order.</summary>
    private static readonly string[] EmbeddedMigrations =
    [
        .. typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith("CompassCi.Migrations.", StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
            .Select(r => r["CompassCi.Migrations.".Length..^".sql".Length])
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public async Task MigratingTwiceAppliesEverythingOnceAndNothingTheSecondTime()
    {
        var connectionString = await database.CreateEmptyDatabaseAsync("twice");

        var first = await Migrator(connectionString).MigrateAsync(Ct);
        var second = await Migrator(connectionString).MigrateAsync(Ct);

        Assert.Contains("0005_orleans_payload_mediumblob", first);
        Assert.Equal(EmbeddedMigrations, first);
        Assert.Empty(second);
    }

    [Fact]
    public async Task ConcurrentMigratorsOnAFreshDatabaseBothSucceedAndRecordEachMigrationOnce()
    {
        var connectionString = await database.CreateEmptyDatabaseAsync("concurrent");

        var runs = await Task.WhenAll(
            Task.Run(() => Migrator(connectionString).MigrateAsync(Ct), Ct),
            Task.Run(() => Migrator(connectionString).MigrateAsync(Ct), Ct));

        // The lock makes one of them do all the work and the other find nothing left.
        Assert.Equal(EmbeddedMigrations, runs.SelectMany(r => r).Order(StringComparer.Ordinal));
        var recorded = await QueryAsync(connectionString, "SELECT name, COUNT(*) FROM schema_version GROUP BY name", r => (Name: r.GetString(0), Count: r.GetInt64(1)));
        Assert.Equal(EmbeddedMigrations, recorded.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(recorded, r => Assert.Equal(1, r.Count));
    }

    [Fact]
    public async Task MigratedDatabaseHasTheOrleansTablesQueriesAndAMediumBlobPayload()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("orleans");

        var tables = await QueryAsync(connectionString, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()", r => r.GetString(0));
        Assert.Superset(
            new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "OrleansQuery", "OrleansMembershipVersionTable", "OrleansMembershipTable", "OrleansStorage", "OrleansRemindersTable", "schema_version" },
            new HashSet<string>(tables, StringComparer.OrdinalIgnoreCase));

        var queryKeys = await QueryAsync(connectionString, "SELECT QueryKey FROM OrleansQuery", r => r.GetString(0));
        Assert.Subset(
            queryKeys.ToHashSet(),
            new HashSet<string> { "UpdateIAmAlivetimeKey", "InsertMembershipKey", "CleanupDefunctSiloEntriesKey", "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey", "UpsertReminderRowKey", "ReadRangeRows2Key" });

        var columnType = await QueryAsync(
            connectionString,
            "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'OrleansStorage' AND COLUMN_NAME = 'PayloadBinary'",
            r => r.GetString(0));
        Assert.Equal(["mediumblob"], columnType);

        var parameterType = await QueryAsync(
            connectionString,
            "SELECT DATA_TYPE FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = DATABASE() AND SPECIFIC_NAME = 'WriteToStorage' AND PARAMETER_NAME = '_PayloadBinary'",
            r => r.GetString(0));
        Assert.Equal(["mediumblob"], parameterType);
    }

    [Fact]
    public async Task WriteToStorageAcceptsGrainStateLargerThan64KiB()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("bigstate");
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);

        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using (var write = new MySqlCommand("CALL WriteToStorage(1, 2, 3, 4, 'JobGrain', NULL, 'svc', NULL, @payload)", connection))
        {
            write.Parameters.AddWithValue("@payload", payload);
            Assert.Equal(1, Convert.ToInt32(await write.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var read = new MySqlCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdHash = 1", connection);
        Assert.Equal(payload, (byte[])(await read.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task LocalMariaDbRestartedOnTheSameDataDirectoryKeepsItsData()
    {
        var directory = NewDataDirectory();
        try
        {
            string firstConnectionString;
            await using (var first = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = directory }, Ct))
            {
                Assert.True(first.OwnsProcess);
                firstConnectionString = await first.CreateDatabaseAsync("kept", Ct);
                await ExecuteAsync(firstConnectionString, "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100) NOT NULL)");
                await ExecuteAsync(firstConnectionString, "INSERT INTO notes VALUES (1, 'survives a restart')");
            }

            await using var second = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = directory }, Ct);
            var connectionString = await second.CreateDatabaseAsync("kept", Ct);

            Assert.Equal(["survives a restart"], await QueryAsync(connectionString, "SELECT body FROM notes WHERE id = 1", r => r.GetString(0)));
            // The generated password was kept in the data directory, not made up afresh.
            Assert.Equal(
                new MySqlConnectionStringBuilder(firstConnectionString).Password,
                new MySqlConnectionStringBuilder(second.ConnectionString).Password);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SecondStartOnADataDirectoryInUseSharesTheRunningServer()
    {
        var directory = NewDataDirectory();
        try
        {
            await using var owner = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = directory }, Ct);
            await using (var sharer = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = directory }, Ct))
            {
                Assert.False(sharer.OwnsProcess);
                Assert.Equal(owner.Port, sharer.Port);
                await ExecuteAsync(sharer.ConnectionString, "SELECT 1");
            }

            // Disposing the sharer must leave the owner's server running.
            await ExecuteAsync(owner.ConnectionString, "SELECT 1");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartReplacesAServerLeftRunningWithoutAnOwner()
    {
        var directory = NewDataDirectory();
        try
        {
            await using var abandoned = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = directory }, Ct);
            await ExecuteAsync(abandoned.ConnectionString, "CREATE TABLE marker (id INT PRIMARY KEY)");
            // What a crashed owner leaves: a live mariadbd and no record of who is responsible for it.
            File.Delete(Path.Combine(directory, "compassci-server.json"));

            await using var replacement = await LocalMariaDb.StartAsync(new LocalMariaDbOptions { DataDirectory = directory }, Ct);

            Assert.True(replacement.OwnsProcess);
            Assert.Equal(["marker"], await QueryAsync(replacement.ConnectionString, "SHOW TABLES", r => r.GetString(0)));
            await Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(abandoned.ConnectionString, "SELECT 1"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void SplitStatementsFollowsDelimiterSwitchesAndIgnoresDelimitersInQuotesAndComments()
    {
        const string script = """
            -- header; with a semicolon
            CREATE TABLE t (a INT); /* block; comment */
            INSERT INTO q VALUES ('k', 'SELECT 1; SELECT 2;');
            DELIMITER $$
            CREATE PROCEDURE p()
            BEGIN
                -- Let's keep this apostrophe; it is in a comment
                SELECT 'it''s; fine', "x;y";
            END$$
            DELIMITER $$
            DELIMITER ;
            # trailing comment
            SELECT `odd;name` FROM t
            """;

        var statements = SchemaMigrator.SplitStatements(script);

        Assert.Equal(4, statements.Count);
        Assert.Equal("CREATE TABLE t (a INT)", statements[0]);
        Assert.Equal("INSERT INTO q VALUES ('k', 'SELECT 1; SELECT 2;')", statements[1]);
        Assert.StartsWith("CREATE PROCEDURE p()", statements[2], StringComparison.Ordinal);
        Assert.EndsWith("SELECT 'it''s; fine', \"x;y\";\nEND", statements[2].ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("SELECT `odd;name` FROM t", statements[3]);
    }

    private static SchemaMigrator Migrator(string connectionString) => new(connectionString, NullLogger<SchemaMigrator>.Instance);

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "compassci-it-" + Guid.NewGuid().ToString("N")[..12]);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<MySqlDataReader, T> read)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
