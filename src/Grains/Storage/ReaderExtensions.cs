using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>Typed reads of columns that may be NULL, and of the BIGINT UNSIGNED ids.</summary>
internal static class ReaderExtensions
{
    public static long GetId(this MySqlDataReader reader, int ordinal) => (long)reader.GetUInt64(ordinal);

    public static long? GetIdOrNull(this MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (long)reader.GetUInt64(ordinal);

    public static long? GetInt64OrNull(this MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static int? GetInt32OrNull(this MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static string? GetStringOrNull(this MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A 0/1 flag column (TINYINT, or a boolean expression); NULL reads as false.</summary>
    public static bool GetFlag(this MySqlDataReader reader, int ordinal) => !reader.IsDBNull(ordinal) && reader.GetInt32(ordinal) == 1;
}
