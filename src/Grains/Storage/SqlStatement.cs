using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>
/// One SQL statement with its parameters. Stores hand these out rather than run them when a write must share a
/// transaction with another store's (a job's end and its effects, a cluster's node jobs and its barrier).
/// </summary>
public sealed record SqlStatement(string Text, params MySqlParameter[] Parameters)
{
    /// <summary>A parameter; null becomes SQL NULL.</summary>
    public static MySqlParameter P(string name, object? value) => new(name, value ?? DBNull.Value);

    /// <summary>A job id parameter: ids are BIGINT UNSIGNED columns.</summary>
    public static MySqlParameter Id(string name, long? id) => P(name, id is { } value ? (ulong)value : null);

    /// <summary>
    /// This statement as a command of a batch. The parameters are shared, not copied: a parameter may sit in several
    /// commands' collections (MySqlConnector only notes the last one, for renames, which no statement does), and none is
    /// changed once made; copying them was a twelfth of what a submit allocated.
    /// </summary>
    internal MySqlBatchCommand ToBatchCommand()
    {
        var command = new MySqlBatchCommand(Text);
        AddParametersTo(command.Parameters);
        return command;
    }

    /// <summary>This statement as a command on <paramref name="connection"/>, its parameters shared as in <see cref="ToBatchCommand"/>.</summary>
    internal MySqlCommand ToCommand(MySqlConnection connection)
    {
        var command = new MySqlCommand(Text, connection);
        AddParametersTo(command.Parameters);
        return command;
    }

    private void AddParametersTo(MySqlParameterCollection parameters)
    {
        foreach (var parameter in Parameters)
        {
            parameters.Add(parameter);
        }
    }
}
