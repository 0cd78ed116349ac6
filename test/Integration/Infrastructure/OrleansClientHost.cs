using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>
/// A started Orleans client host joined to a test's cluster as a CI bot joins one: the cluster's name and the membership
/// table to find its gateways in. Dispose stops it.
/// </summary>
public sealed class OrleansClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private OrleansClientHost(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<OrleansClientHost> ConnectAsync(string connectionString, string cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster, cluster))
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("MySql.Data.MySqlConnector", connectionString)));
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new OrleansClientHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
