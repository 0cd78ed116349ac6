using System.Net;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Api;

/// <summary>Renewals cannot move a job's deadline past the ceiling (here two hours after hand-out), however often they come.</summary>
public sealed class RenewCeilingTests(ClientRulesSilo silo) : IClassFixture<ClientRulesSilo>
{
    [Fact]
    public async Task A_renew_past_the_ceiling_is_refused_naming_seconds_and_leaves_the_deadline_alone()
    {
        var client = silo.Client;
        var group = "vm-ceiling-" + Guid.NewGuid().ToString("N")[..6];
        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group, ["runtime"] = "300s" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.Equal(id, (await client.ConsumeAsync($"{group}--0", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken))?["id"]?.GetValue<string>());
        await client.StageAsync(id, "running");

        // Running gives about 10 minutes; one hour more stays inside the two hours, a second hour would not.
        var (first, renewed) = await client.PostAsync($"/api/v1/jobs/{id}/renew", new JsonObject { ["seconds"] = 3600 });
        Assert.True(first == HttpStatusCode.OK, $"{(int)first}: {renewed?.ToJsonString()}");
        var deadline = renewed!["deadline"]!.GetValue<string>();

        var (second, problem) = await client.PostAsync($"/api/v1/jobs/{id}/renew", new JsonObject { ["seconds"] = 3600 });

        Assert.True(second == HttpStatusCode.Conflict, $"{(int)second}: {problem?.ToJsonString()}");
        var message = problem?["errors"]?["seconds"]?[0]?.GetValue<string>();
        Assert.NotNull(message);
        Assert.Contains("Lifecycle:RenewCeiling", message, StringComparison.Ordinal);
        Assert.Contains("02:00:00", message, StringComparison.Ordinal);
        Assert.Equal(deadline, (await client.GetJobAsync(id))!["deadline"]!.GetValue<string>());

        // What still fits is accepted.
        var (third, smaller) = await client.PostAsync($"/api/v1/jobs/{id}/renew", new JsonObject { ["seconds"] = 1800 });
        Assert.True(third == HttpStatusCode.OK, $"{(int)third}: {smaller?.ToJsonString()}");
    }
}
