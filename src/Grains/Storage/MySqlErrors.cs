using MySqlConnector;

namespace CompassCi.Grains.Storage;

/// <summary>The server errors the stores tell apart, and the one clean-up every batched transaction needs.</summary>
internal static class MySqlErrors
{
    public const int DuplicateKey = 1062;
    public const int Deadlock = 1213;
    public const int LockWaitTimeout = 1205;

    /// <summary>
    /// Rolls back what a failed batch left open (a failed statement stops it before its COMMIT), so the pooled connection
    /// carries no open transaction; a broken connection is left as it is (the server rolls back when it drops).
    /// </summary>
    public static async Task RollBackQuietlyAsync(MySqlConnection connection)
    {
        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception)
        {
            // The connection is broken; the server rolls back on its own when it drops.
        }
    }
}
