namespace CompassCi.Client.Cluster;

/// <summary>
/// How <see cref="CompassCiOrleansClient"/> reaches the cluster and how hard it tries: the cluster's ids and the
/// membership database the silos register in (AdoNet clustering), and the resilience of its calls.
/// </summary>
public sealed class OrleansClientOptions
{
    /// <summary>The silos' <c>ClusterId</c>.</summary>
    public string ClusterId { get; set; } = "compassci";

    /// <summary>The silos' <c>ServiceId</c>.</summary>
    public string ServiceId { get; set; } = "compassci";

    /// <summary>The MariaDB connection string of the silos' membership table.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The ADO.NET invariant of the membership database: MySqlConnector's.</summary>
    public string Invariant { get; set; } = "MySql.Data.MySqlConnector";

    /// <summary>How calls are retried; see <see cref="ClusterResilienceOptions"/>.</summary>
    public ClusterResilienceOptions Resilience { get; set; } = new();
}
