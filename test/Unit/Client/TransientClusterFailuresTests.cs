using CompassCi.Client.Cluster;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace CompassCi.Tests.Unit.Client;

public sealed class TransientClusterFailuresTests
{
    [Fact]
    public void A_lost_silo_a_lost_gateway_and_a_timeout_are_transient()
    {
        Assert.True(TransientClusterFailures.IsTransient(new SiloUnavailableException("silo gone")));
        Assert.True(TransientClusterFailures.IsTransient(new ConnectionFailedException("no gateway")));
        Assert.True(TransientClusterFailures.IsTransient(new GatewayTooBusyException()));
        Assert.True(TransientClusterFailures.IsTransient(new TimeoutException("no answer in 30 s")));
        Assert.True(TransientClusterFailures.IsTransient(new InvalidOperationException("wrapped", new SiloUnavailableException())));
        Assert.True(TransientClusterFailures.IsTransient(new AggregateException(new ArgumentException("a"), new TimeoutException())));
    }

    [Fact]
    public void The_schedulers_refusals_and_bugs_are_not_transient()
    {
        Assert.False(TransientClusterFailures.IsTransient(null));
        Assert.False(TransientClusterFailures.IsTransient(new ArgumentException("limit is out of range", "limit")));
        Assert.False(TransientClusterFailures.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(TransientClusterFailures.IsTransient(new OrleansException("some other cluster error")));
        Assert.False(TransientClusterFailures.IsTransient(new OperationCanceledException()));
    }
}
