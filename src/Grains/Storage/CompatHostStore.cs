using CompassCi.Grains.Compat.Boot;
using MySqlConnector;
using static CompassCi.Grains.Storage.SqlStatement;

namespace CompassCi.Grains.Storage;

/// <summary>
/// The owner of <c>host_macs</c> and <c>host_registrations</c>: compass-ci's redis keys <c>sched/mac2host</c> and
/// <c>/tbox/&lt;type&gt;/&lt;host&gt;</c>, kept durably so every silo reads the same and a restart forgets nothing.
/// Expiry is stamped and compared on the database's clock, so silos with skewed clocks agree on who is alive.
/// </summary>
public sealed class CompatHostStore(MySqlDataSource dataSource)
{
    private const string Columns = "hostname, tbox_type, arch, max_mem_gb, owner, is_remote, registered_at, expires_at";

    /// <summary>Boots with <paramref name="mac"/> (normalised) are the host <paramref name="hostname"/> from now on.</summary>
    public Task SetMacAsync(string mac, string hostname) => dataSource.ExecuteAsync(new SqlStatement(
        $"INSERT INTO host_macs (mac, hostname, set_at) VALUES (@mac, @h, {SqlLists.NowMillis}) " +
        "ON DUPLICATE KEY UPDATE hostname = VALUES(hostname), set_at = VALUES(set_at)",
        P("@mac", mac), P("@h", hostname)));

    /// <summary>Forgets <paramref name="mac"/>; false when it was not known.</summary>
    public async Task<bool> DeleteMacAsync(string mac) =>
        await dataSource.ExecuteAsync(new SqlStatement("DELETE FROM host_macs WHERE mac = @mac", P("@mac", mac))) > 0;

    /// <summary>The hostname set for <paramref name="mac"/>, or null.</summary>
    public Task<string?> HostOfMacAsync(string mac) =>
        dataSource.TextAsync(new SqlStatement("SELECT hostname FROM host_macs WHERE mac = @mac", P("@mac", mac)));

    /// <summary>Records (or replaces) what <paramref name="hostname"/> offers, alive for <paramref name="ttl"/>.</summary>
    public Task RegisterAsync(string hostname, string tboxType, string? arch, int? maxMemGb, string? owner, bool isRemote, TimeSpan ttl) =>
        dataSource.ExecuteAsync(new SqlStatement(
            $"INSERT INTO host_registrations ({Columns}) VALUES (@h, @type, @arch, @mem, @owner, @remote, {SqlLists.NowMillis}, {SqlLists.NowMillis} + @ttl) " +
            "ON DUPLICATE KEY UPDATE tbox_type = VALUES(tbox_type), arch = VALUES(arch), max_mem_gb = VALUES(max_mem_gb), owner = VALUES(owner), " +
            "is_remote = VALUES(is_remote), registered_at = VALUES(registered_at), expires_at = VALUES(expires_at)",
            P("@h", hostname), P("@type", tboxType), P("@arch", arch), P("@mem", maxMemGb), P("@owner", owner), P("@remote", isRemote), P("@ttl", (long)ttl.TotalMilliseconds)));

    /// <summary>
    /// A heartbeat: moves the registration's expiry on by <paramref name="ttl"/> when it is still alive. False when it
    /// expired or never was (compass-ci then answers 1001: register again).
    /// </summary>
    public async Task<bool> HeartbeatAsync(string hostname, TimeSpan ttl) =>
        await dataSource.ExecuteAsync(new SqlStatement(
            $"UPDATE host_registrations SET expires_at = {SqlLists.NowMillis} + @ttl WHERE hostname = @h AND expires_at > {SqlLists.NowMillis}",
            P("@h", hostname), P("@ttl", (long)ttl.TotalMilliseconds))) > 0;

    /// <summary>The live registration of <paramref name="hostname"/>, or null when there is none or it expired.</summary>
    public Task<HostRegistration?> GetLiveAsync(string hostname) => dataSource.FirstOrDefaultAsync(
        new SqlStatement($"SELECT {Columns} FROM host_registrations WHERE hostname = @h AND expires_at > {SqlLists.NowMillis}", P("@h", hostname)),
        r => (HostRegistration?)Read(r));

    /// <summary>Every live registration, by hostname.</summary>
    public Task<List<HostRegistration>> ListLiveAsync() => dataSource.QueryAsync(
        new SqlStatement($"SELECT {Columns} FROM host_registrations WHERE expires_at > {SqlLists.NowMillis} ORDER BY hostname"),
        Read);

    private static HostRegistration Read(MySqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.IsDBNull(3) ? null : r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.GetBoolean(5),
        r.GetInt64(6),
        r.GetInt64(7));
}
