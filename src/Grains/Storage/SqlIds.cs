using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>The sweeper's queries all answer a list of ids: one way to run them.</summary>
internal static class SqlIds
{
    /// <summary>Runs <paramref name="sql"/>, whose first column is a BIGINT UNSIGNED id, and answers the ids in order.</summary>
    public static async Task<List<long>> ReadAsync(MySqlDataSource source, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add((long)reader.GetUInt64(0));
        }

        return ids;
    }
}
