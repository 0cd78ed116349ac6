using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace CompassCi.Silo.Database;

/// <summary>
/// Brings a database up to date with the numbered SQL scripts embedded in this assembly
/// (<c>CompassCi.Migrations.NNNN_name.sql</c>), recording each in <c>schema_version</c>.
/// </summary>
/// <remarks>
/// Safe to run again and from several processes at once: a named server lock serialises migrators of the same
/// database, and scripts already recorded are skipped. MySQL DDL is not transactional, so a script that fails
/// half-way leaves its earlier statements applied and is not recorded; fix the database by hand before re-running.
/// </remarks>
public sealed partial class SchemaMigrator
{
    private const string ResourcePrefix = "CompassCi.Migrations.";
    private const string ResourceSuffix = ".sql";
    private const int LockWaitSeconds = 60;
    private const int MaxLockNameLength = 64;

    // "Name 'x' ignored for PRIMARY key": the Orleans scripts name their primary keys, which MariaDB ignores.
    private const int PrimaryKeyNameIgnored = 1280;

    private readonly string _connectionString;
    private readonly ILogger<SchemaMigrator> _logger;

    /// <summary>Creates a migrator for the database named in <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">MySqlConnector connection string; its Database is the one migrated.</param>
    /// <param name="logger">Receives one line per applied script and any unexpected server warnings.</param>
    public SchemaMigrator(string connectionString, ILogger<SchemaMigrator> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        _connectionString = connectionString;
        _logger = logger;
    }

    /// <summary>Applies, in version order, every embedded script not yet recorded in <c>schema_version</c>.</summary>
    /// <param name="ct">Cancels the run; the script being applied may be left half-done.</param>
    /// <returns>Names (e.g. <c>0001_orleans_main</c>) of the scripts this call applied; empty when up to date.</returns>
    /// <exception cref="TimeoutException">Another migrator held the lock for longer than 60 seconds.</exception>
    /// <exception cref="InvalidOperationException">A script failed; the inner exception is the server's error.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        var migrations = LoadEmbeddedMigrations();

        // Unpooled: GET_LOCK belongs to the session, and a session that ends for any reason must release it.
        var builder = new MySqlConnectionStringBuilder(_connectionString) { Pooling = false, AllowUserVariables = true };
        await using var connection = new MySqlConnection(builder.ConnectionString);
        string? current = null;
        connection.InfoMessage += (_, args) =>
        {
            foreach (var warning in args.Errors)
            {
                if ((int)warning.ErrorCode == PrimaryKeyNameIgnored)
                {
                    continue;
                }

                // Notes are routine ("schema_version already exists" on every run after the first).
                var level = string.Equals(warning.Level, "Note", StringComparison.OrdinalIgnoreCase) ? LogLevel.Debug : LogLevel.Warning;
                _logger.Log(
                    level, "Migration {Migration}: server {Level} {Code}: {Message}", current ?? "(setup)", warning.Level, (int)warning.ErrorCode, warning.Message);
            }
        };
        await connection.OpenAsync(ct);

        var database = connection.Database;
        if (string.IsNullOrEmpty(database))
        {
            throw new InvalidOperationException("The connection string names no Database to migrate.");
        }

        var lockName = LockNameFor(database);
        await AcquireLockAsync(connection, lockName, ct);
        try
        {
            await ExecuteAsync(
                connection,
                """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    INT NOT NULL PRIMARY KEY,
                    name       VARCHAR(200) NOT NULL,
                    applied_at DATETIME(3) NOT NULL
                ) ENGINE=InnoDB
                """,
                ct);

            var recorded = await ReadRecordedVersionsAsync(connection, ct);
            foreach (var unknown in recorded.Except(migrations.Select(m => m.Version)))
            {
                // A newer build migrated this database; older code can still run if the change was additive.
                _logger.LogWarning("Database {Database} has migration {Version}, which this build does not know", database, unknown);
            }

            var applied = new List<string>();
            foreach (var migration in migrations.Where(m => !recorded.Contains(m.Version)))
            {
                current = migration.Name;
                var elapsed = Stopwatch.StartNew();
                var statements = SplitStatements(migration.Script);
                for (var i = 0; i < statements.Count; i++)
                {
                    try
                    {
                        await ExecuteAsync(connection, statements[i], ct);
                    }
                    catch (MySqlException ex)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Name} failed at statement {i + 1} of {statements.Count} ({ex.ErrorCode}: {ex.Message}). Statement:\n{statements[i]}",
                            ex);
                    }
                }

                await ExecuteAsync(
                    connection,
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, UTC_TIMESTAMP(3))",
                    ct,
                    ("@version", migration.Version),
                    ("@name", migration.Name));
                applied.Add(migration.Name);
                _logger.LogInformation(
                    "Applied migration {Migration} to {Database} ({Statements} statements, {ElapsedMs} ms)",
                    migration.Name, database, statements.Count, elapsed.ElapsedMilliseconds);
            }

            return applied;
        }
        finally
        {
            current = null;
            await ReleaseLockAsync(connection, lockName);
        }
    }

    /// <summary>
    /// Splits a script written for the mysql command-line client into statements the server accepts one at a time:
    /// honours <c>DELIMITER</c> switches (a client command, never sent), and ignores delimiters inside quotes and comments.
    /// </summary>
    internal static IReadOnlyList<string> SplitStatements(string script)
    {
        var statements = new List<string>();
        var statement = new StringBuilder();
        var delimiter = ";";
        // Comments before a statement's first token are dropped, so that DELIMITER is recognised after them
        // and a trailing comment does not become an empty statement.
        var started = false;
        var i = 0;

        void Finish()
        {
            var text = statement.ToString().Trim();
            if (started && text.Length > 0)
            {
                statements.Add(text);
            }

            statement.Clear();
            started = false;
        }

        while (i < script.Length)
        {
            var c = script[i];

            if (!started && char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (!started && IsDelimiterCommand(script, i))
            {
                var lineEnd = script.IndexOf('\n', i);
                if (lineEnd < 0)
                {
                    lineEnd = script.Length;
                }

                var argument = script[(i + "DELIMITER".Length)..lineEnd].Trim();
                if (argument.Length == 0)
                {
                    throw new FormatException($"DELIMITER without a delimiter at offset {i}.");
                }

                delimiter = argument.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
                i = lineEnd;
                continue;
            }

            if (c is '\'' or '"' or '`')
            {
                var end = EndOfQuoted(script, i);
                statement.Append(script, i, end - i);
                started = true;
                i = end;
                continue;
            }

            if (IsLineComment(script, i))
            {
                var lineEnd = script.IndexOf('\n', i);
                lineEnd = lineEnd < 0 ? script.Length : lineEnd;
                if (started)
                {
                    statement.Append(script, i, lineEnd - i);
                }

                i = lineEnd;
                continue;
            }

            if (c == '/' && i + 1 < script.Length && script[i + 1] == '*')
            {
                var close = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException($"Unterminated /* comment at offset {i}.");
                }

                var end = close + 2;
                // /*! ... */ is executable on MySQL/MariaDB, so it starts a statement like any other token.
                var executable = i + 2 < script.Length && script[i + 2] is '!' or 'M';
                if (started || executable)
                {
                    statement.Append(script, i, end - i);
                    started = true;
                }

                i = end;
                continue;
            }

            if (string.CompareOrdinal(script, i, delimiter, 0, delimiter.Length) == 0)
            {
                i += delimiter.Length;
                Finish();
                continue;
            }

            statement.Append(c);
            started = true;
            i++;
        }

        Finish();
        return statements;
    }

    private static bool IsDelimiterCommand(string script, int i)
    {
        const string keyword = "DELIMITER";
        return i + keyword.Length < script.Length
            && string.Compare(script, i, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && script[i + keyword.Length] is ' ' or '\t';
    }

    private static bool IsLineComment(string script, int i) =>
        script[i] == '#'
        // "--" starts a comment only when followed by whitespace (or the end), as in the server's own parser.
        || (script[i] == '-' && i + 1 < script.Length && script[i + 1] == '-'
            && (i + 2 == script.Length || char.IsWhiteSpace(script[i + 2])));

    private static int EndOfQuoted(string script, int start)
    {
        var quote = script[start];
        var i = start + 1;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '\\' && quote != '`')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                // A doubled quote is an escaped quote, not the end.
                if (i + 1 < script.Length && script[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        throw new FormatException($"Unterminated {quote} quote starting at offset {start}.");
    }

    private static IReadOnlyList<Migration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..^ResourceSuffix.Length];
            var match = MigrationNamePattern().Match(name);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Embedded migration '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(m => m.Name))} share version {duplicate.Key}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>
    /// GET_LOCK names are server-wide; one per database lets migrations of different databases (one per test class)
    /// run side by side while still serialising migrators of the same database.
    /// </summary>
    private static string LockNameFor(string database)
    {
        var name = $"compassci_migrations.{database}";
        return name.Length <= MaxLockNameLength
            ? name
            : $"compassci_migrations.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..32]}";
    }

    private static async Task AcquireLockAsync(MySqlConnection connection, string lockName, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT GET_LOCK(@name, @seconds)", connection)
        {
            // The server waits up to LockWaitSeconds; the client must not give up first.
            CommandTimeout = LockWaitSeconds + 30,
        };
        command.Parameters.AddWithValue("@name", lockName);
        command.Parameters.AddWithValue("@seconds", LockWaitSeconds);
        var result = await command.ExecuteScalarAsync(ct);
        if (result is null or DBNull || Convert.ToInt64(result, CultureInfo.InvariantCulture) != 1)
        {
            throw new TimeoutException($"Could not take migration lock '{lockName}' within {LockWaitSeconds} s; another migrator holds it.");
        }
    }

    private async Task ReleaseLockAsync(MySqlConnection connection, string lockName)
    {
        try
        {
            await using var command = new MySqlCommand("DO RELEASE_LOCK(@name)", connection);
            command.Parameters.AddWithValue("@name", lockName);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            // Closing the (unpooled) connection releases the lock anyway.
            _logger.LogDebug(ex, "Could not release migration lock {LockName}; closing the session releases it", lockName);
        }
    }

    private static async Task<HashSet<int>> ReadRecordedVersionsAsync(MySqlConnection connection, CancellationToken ct)
    {
        var versions = new HashSet<int>();
        await using var command = new MySqlCommand("SELECT version FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new MySqlCommand(sql, connection)
        {
            // ALTER TABLE rebuilds a table; on a large OrleansStorage that takes far longer than the 30 s default.
            CommandTimeout = 0,
        };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"^(\d+)_[A-Za-z0-9_\-]+$")]
    private static partial Regex MigrationNamePattern();

    private sealed record Migration(int Version, string Name, string Script);
}
