using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>id_nodes</c>: which silo holds which node number of the job ids, by lease on the database's clock.
/// </summary>
public sealed class IdNodeStore(MySqlDataSource dataSource)
{
    /// <summary>How many node numbers job ids have room for (10 bits).</summary>
    public const int Nodes = 1024;


    /// <summary>
    /// Takes a node number for <paramref name="owner"/> for <paramref name="leaseMillis"/>: the lowest one whose lease
    /// ran out, else a new one. Throws when all <see cref="Nodes"/> are held.
    /// </summary>
    public async Task<int> ClaimAsync(string owner, long leaseMillis)
    {
        for (var race = 0; race < 10; race++)
        {
            var reused = await dataSource.ExecuteAsync(new SqlStatement(
                $"UPDATE id_nodes SET owner = @owner, lease_until = {SqlLists.NowMillis} + @lease WHERE lease_until < {SqlLists.NowMillis} ORDER BY node LIMIT 1",
                P("@owner", owner), P("@lease", leaseMillis)));
            if (reused == 1)
            {
                return await NodeOfAsync(owner);
            }

            try
            {
                var added = await dataSource.ExecuteAsync(new SqlStatement(
                    $"INSERT INTO id_nodes (node, owner, lease_until) SELECT COALESCE(MAX(node) + 1, 0), @owner, {SqlLists.NowMillis} + @lease FROM id_nodes " +
                    $"HAVING COALESCE(MAX(node) + 1, 0) < {Nodes}",
                    P("@owner", owner), P("@lease", leaseMillis)));
                if (added == 1)
                {
                    return await NodeOfAsync(owner);
                }

                throw new InvalidOperationException($"all {Nodes} job id node numbers are held by running silos");
            }
            catch (MySqlException error) when (error.Number == MySqlErrors.DuplicateKey)
            {
                // Another silo added the same number at the same moment: look again.
            }
        }

        throw new InvalidOperationException("could not take a job id node number: other silos kept taking the same one");
    }

    /// <summary>Extends the lease; false when <paramref name="owner"/> no longer holds <paramref name="node"/>.</summary>
    public async Task<bool> RenewAsync(int node, string owner, long leaseMillis) =>
        await dataSource.ExecuteAsync(new SqlStatement(
            $"UPDATE id_nodes SET lease_until = {SqlLists.NowMillis} + @lease WHERE node = @node AND owner = @owner",
            P("@node", node), P("@owner", owner), P("@lease", leaseMillis))) == 1;

    /// <summary>Gives the node up at once, so another silo may take it without waiting for the lease.</summary>
    public Task ReleaseAsync(int node, string owner) =>
        dataSource.ExecuteAsync(new SqlStatement("UPDATE id_nodes SET lease_until = 0 WHERE node = @node AND owner = @owner", P("@node", node), P("@owner", owner)));

    private async Task<int> NodeOfAsync(string owner) =>
        (int)(await dataSource.LongAsync(new SqlStatement("SELECT node FROM id_nodes WHERE owner = @owner ORDER BY lease_until DESC LIMIT 1", P("@owner", owner)))
              ?? throw new InvalidOperationException("the node just taken is gone"));
}
