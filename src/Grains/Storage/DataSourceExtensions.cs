using System.Globalization;
using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The few ways the stores run SQL outside a shared commit: one place that opens a connection, binds parameters and
/// reads, instead of an open/command/read loop in every method.
/// </summary>
internal static class DataSourceExtensions
{
    /// <summary>Every row of <paramref name="statement"/>, each read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(this MySqlDataSource source, SqlStatement statement, Func<MySqlDataReader, T> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var command = statement.ToCommand(connection);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first row of <paramref name="statement"/> read by <paramref name="read"/>; the default when there is none.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(this MySqlDataSource source, SqlStatement statement, Func<MySqlDataReader, T> read)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = statement.ToCommand(connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? read(reader) : default;
    }

    /// <summary>The first column of the first row as a long; null when there is no row or it is NULL.</summary>
    public static async Task<long?> LongAsync(this MySqlDataSource source, SqlStatement statement, CancellationToken cancellationToken = default)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var command = statement.ToCommand(connection);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>The first column of the first row as text; null when there is no row or it is NULL.</summary>
    public static async Task<string?> TextAsync(this MySqlDataSource source, SqlStatement statement)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = statement.ToCommand(connection);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Runs a statement on its own; answers the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this MySqlDataSource source, SqlStatement statement)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = statement.ToCommand(connection);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The ids in the first column (a BIGINT UNSIGNED) of every row, in order.</summary>
    public static Task<List<long>> IdsAsync(this MySqlDataSource source, SqlStatement statement) =>
        source.QueryAsync(statement, r => r.GetId(0));
}
