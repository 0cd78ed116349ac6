using CompassCi.Grains.Accounts;
using CompassCi.Grains.Clusters;
using CompassCi.Grains.FairShare;
using CompassCi.Grains.Hosts;
using CompassCi.Grains.Lifecycle;
using CompassCi.Grains.Logging;
using CompassCi.Grains.Queues;
using CompassCi.Grains.Results.Pipeline;

namespace CompassCi.Tests.Unit.Logging;

public sealed class GrainScopeFieldTests
{
    [Fact]
    public void The_grains_of_one_job_host_cluster_or_queue_name_it_by_their_field()
    {
        Assert.Equal("job_id", GrainScopeField.For(typeof(JobGrain)));
        Assert.Equal("job_id", GrainScopeField.For(typeof(ResultsGrain)));
        Assert.Equal("host", GrainScopeField.For(typeof(HostLifecycleGrain)));
        Assert.Equal("cluster_id", GrainScopeField.For(typeof(ClusterBarrierGrain)));
        Assert.Equal("queue", GrainScopeField.For(typeof(QueueGrain)));
    }

    [Fact]
    public void Grains_about_no_one_thing_open_no_scope()
    {
        Assert.Null(GrainScopeField.For(typeof(SweeperGrain)));
        Assert.Null(GrainScopeField.For(typeof(FairShareGrain)));
        Assert.Null(GrainScopeField.For(typeof(QueueDirectoryGrain)));
        Assert.Null(GrainScopeField.For(typeof(TokenGrain)));
        Assert.Null(GrainScopeField.For(typeof(JobsGrain)));
    }

    [Fact]
    public void A_scope_is_its_fields_as_pairs_and_logfmt_as_text()
    {
        var scope = LogScope.Of(LogFields.Testbox, "vm-2p8g--h1-0", LogFields.Host, "h1");

        Assert.Equal([new("testbox", "vm-2p8g--h1-0"), new("host", "h1")], scope.ToList());
        Assert.Equal("testbox=vm-2p8g--h1-0 host=h1", scope.ToString());
    }
}
