using System.Net;
using System.Text;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Api;

/// <summary>
/// Testbox and host names follow one grammar everywhere, and an operator's action on a host nobody has seen is a 404
/// that creates nothing (issue 11, finding 6). Before, <c>POST /hosts/{host}/wiped</c> took any name and left a host
/// row for it in every listing.
/// </summary>
public sealed class MachineNameTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    /// <summary>Names as they appear in the path, percent-encoded where a URL needs it.</summary>
    public static TheoryData<string> BadNames => new()
    {
        "..%2f..%2fetc%2fpasswd",
        "a%20b",
        "a%0Ab",
        "x'%3BDROP%20TABLE%20hosts%3B--",
        "%D1%85%D0%BE%D1%81%D1%82",
        "%ff",
        "-rf",
        ".hidden",
        "%24(reboot)",
        new string('h', 256),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task An_operator_action_on_a_name_that_is_no_machine_gets_400_and_creates_no_host(string name)
    {
        var before = await CountsAsync();
        foreach (var action in new[] { "wiped", "release" })
        {
            using var response = await fixture.Http.PostAsync($"/api/v1/hosts/{name}/{action}", null, TestContext.Current.CancellationToken);
            await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "host", $"{action} {name}");
        }

        using var get = await fixture.Http.GetAsync($"/api/v1/hosts/{name}/lifecycle", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(get, HttpStatusCode.BadRequest, "host", $"lifecycle {name}");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task A_testbox_whose_name_is_no_machine_gets_400_and_is_not_recorded(string name)
    {
        var before = await CountsAsync();
        using var consume = await fixture.Http.PostAsync($"/api/v1/testboxes/{name}/consume", Json("{\"wait_seconds\": 0}"), TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(consume, HttpStatusCode.BadRequest, "testbox", $"consume as {name}");
        using var beat = await fixture.Http.PostAsync($"/api/v1/testboxes/{name}/heartbeat", Json("{}"), TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(beat, HttpStatusCode.BadRequest, "testbox", $"heartbeat as {name}");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("{\"host\": \"../h1\"}")]
    [InlineData("{\"host\": \"h1\\u0000\"}")]
    [InlineData("{\"host\": \"h 1\"}")]
    [InlineData("{\"host\": 7}")]
    public async Task A_host_field_that_is_no_machine_gets_400(string body)
    {
        var before = await CountsAsync();
        using var consume = await fixture.Http.PostAsync("/api/v1/testboxes/vm-names--h1-0/consume", Json(body.Replace("}", ", \"wait_seconds\": 0}", StringComparison.Ordinal)), TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(consume, HttpStatusCode.BadRequest, "host", $"consume with {body}");
        using var beat = await fixture.Http.PostAsync("/api/v1/testboxes/vm-names--h1-0/heartbeat", Json(body), TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(beat, HttpStatusCode.BadRequest, "host", $"heartbeat with {body}");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_operator_action_on_a_host_nobody_has_seen_is_404_and_one_on_a_seen_host_works()
    {
        var unseen = "h-unseen-" + Guid.NewGuid().ToString("N")[..6];
        var before = await CountsAsync();
        foreach (var action in new[] { "wiped", "release" })
        {
            using var response = await fixture.Http.PostAsync($"/api/v1/hosts/{unseen}/{action}", null, TestContext.Current.CancellationToken);
            await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, "host", $"{action} of an unseen host");
        }

        using var lifecycle = await fixture.Http.GetAsync($"/api/v1/hosts/{unseen}/lifecycle", TestContext.Current.CancellationToken);
        await ProblemAssert.IsAsync(lifecycle, HttpStatusCode.NotFound, "host", "lifecycle of an unseen host");
        Assert.Equal(before, await CountsAsync());

        // The control: once a testbox on the host has asked for work, the host is known and can be wiped.
        var seen = "hseen" + Guid.NewGuid().ToString("N")[..6];
        using var consume = await fixture.Http.PostAsync($"/api/v1/testboxes/vm-2p8g--{seen}-0/consume", Json("{\"wait_seconds\": 0}"), TestContext.Current.CancellationToken);
        Assert.True(consume.IsSuccessStatusCode, $"consume: {(int)consume.StatusCode}");
        using var wiped = await fixture.Http.PostAsync($"/api/v1/hosts/{seen}/wiped", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, wiped.StatusCode);
        Assert.Equal(1, await Sql.ScalarAsync<long>(fixture.ConnectionString, $"SELECT COUNT(*) FROM hosts WHERE host = '{seen}'"));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<string> CountsAsync() =>
        (await Sql.RowsAsync(fixture.ConnectionString, "SELECT (SELECT COUNT(*) FROM hosts) AS hosts, (SELECT COUNT(*) FROM testboxes) AS testboxes"))[0];
}
