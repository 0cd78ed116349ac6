using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>
/// A consume's <c>request_id</c> is the testbox's own: the same id from two testboxes is two requests, neither ending
/// the other's wait nor getting the other's job, while a retry from the same testbox still gets its own answer.
/// </summary>
public sealed class RequestIdScopeTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    private SchedulerClient Client => silo.Client;

    private async Task<string> SubmitAsync(string group) =>
        (await Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();

    [Fact]
    public async Task Another_testbox_using_the_same_request_id_does_not_end_a_waiting_consume()
    {
        var request = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var waitingGroup = "vm-rqa-" + Guid.NewGuid().ToString("N")[..6];
        var otherGroup = "vm-rqb-" + Guid.NewGuid().ToString("N")[..6];
        var waiting = Client.ConsumeAsync($"{waitingGroup}--0", new Dictionary<string, string>(), 4, 30, request, TestContext.Current.CancellationToken);
        Assert.True(await Eventually.HoldsAsync(
            async () => await Sql.ScalarAsync<long>(silo.ConnectionString, $"SELECT COUNT(*) FROM consume_requests WHERE request_id = '{request}'") == 1,
            TimeSpan.FromSeconds(10)));

        // Another testbox happens to use the same request id (ids like "1" or a counter are common) and finds nothing.
        Assert.Null(await Client.ConsumeAsync($"{otherGroup}--0", new Dictionary<string, string>(), 4, 0, request, TestContext.Current.CancellationToken));
        var id = await SubmitAsync(waitingGroup);

        var taken = await waiting;
        Assert.Equal(id, taken?["id"]?.GetValue<string>());
        Assert.Equal($"{waitingGroup}--0", taken!["testbox"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_testboxes_with_one_request_id_each_get_their_own_job_and_each_retry_gets_its_own_answer()
    {
        var request = "1";
        var group = "vm-rqc-" + Guid.NewGuid().ToString("N")[..6];
        var first = await SubmitAsync(group);
        var second = await SubmitAsync(group);
        var (a, b) = ($"{group}--0", $"{group}--1");

        var takenByA = await Client.ConsumeAsync(a, new Dictionary<string, string>(), 4, 5, request, TestContext.Current.CancellationToken);
        var takenByB = await Client.ConsumeAsync(b, new Dictionary<string, string>(), 4, 5, request, TestContext.Current.CancellationToken);
        var retryOfA = await Client.ConsumeAsync(a, new Dictionary<string, string>(), 4, 5, request, TestContext.Current.CancellationToken);
        var retryOfB = await Client.ConsumeAsync(b, new Dictionary<string, string>(), 4, 5, request, TestContext.Current.CancellationToken);

        Assert.Equal(first, takenByA?["id"]?.GetValue<string>());
        Assert.Equal(second, takenByB?["id"]?.GetValue<string>());
        Assert.Equal(first, retryOfA?["id"]?.GetValue<string>());
        Assert.Equal(second, retryOfB?["id"]?.GetValue<string>());
        Assert.Equal(2, await Sql.ScalarAsync<long>(silo.ConnectionString, $"SELECT COUNT(*) FROM consume_requests WHERE request_id = '{request}' AND attempt = 2"));
    }
}
