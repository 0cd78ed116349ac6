using System.Net;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;
using MySqlConnector;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// A commit whose reply never reaches the silo (a proxy between silo and MariaDB swallows it and cuts the
/// connection): the silo does not know whether its write landed, so it reads the row and decides from what is there.
/// </summary>
public sealed class LostAckTests(MariaDbFixture database) : IAsyncLifetime
{
    private TcpProxy? _proxy;
    private SiloProcess? _silo;
    private HttpClient? _http;
    private string _connectionString = "";

    private SchedulerClient Client => new(_http!);

    public async ValueTask InitializeAsync()
    {
        _connectionString = await database.CreateMigratedDatabaseAsync("lostack");
        _proxy = TcpProxy.To((int)new MySqlConnectionStringBuilder(_connectionString).Port);
        var proxied = new MySqlConnectionStringBuilder(_connectionString) { Port = (uint)_proxy.Port }.ConnectionString;
        _silo = await SiloProcess.StartAsync(proxied, "ack" + Guid.NewGuid().ToString("N")[..6]);
        _http = _silo.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_finish_whose_commit_reply_is_lost_is_answered_as_done_because_the_row_says_so()
    {
        var id = (await Client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = "vm-ack" }, TestContext.Current.CancellationToken))["id"]!.GetValue<string>();
        Assert.NotNull(await Client.ConsumeAsync("vm-ack--h1-0", new Dictionary<string, string>(), 4, 5, cancellationToken: TestContext.Current.CancellationToken));
        await Client.StageAsync(id, "running");

        var hold = _proxy!.HoldReplyTo("job_stage = 'finish', job_health = 'success'");
        var finishing = Client.PostAsync($"/api/v1/jobs/{id}/finish", new JsonObject { ["health"] = "success" });
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        hold.Drop();
        var (status, body) = await finishing;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("finish", "success"), (body!["job_stage"]!.GetValue<string>(), body["job_health"]!.GetValue<string>()));
        Assert.Equal(1, await Sql.ScalarAsync<long>(_connectionString, $"SELECT COUNT(*) FROM jobs WHERE id = {id} AND job_stage = 'finish'"));
        // The grain knows it too: the next update is refused because the job has ended, not because it ran on.
        var (late, problem) = await Client.PostAsync($"/api/v1/jobs/{id}/stage", new JsonObject { ["stage"] = "post_run" });
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.Contains("stage 'finish'", problem!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        // And its host was told at once, not left for the sweeper.
        Assert.Equal(1, await Sql.ScalarAsync<long>(_connectionString, $"SELECT COUNT(*) FROM job_effects WHERE job_id = {id} AND done_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_submit_whose_commit_reply_is_lost_is_answered_with_the_job_it_stored_and_stores_no_second()
    {
        var hold = _proxy!.HoldReplyTo("'ack-lost-suite'");
        var submitting = Client.PostAsync("/api/v1/jobs", new JsonObject { ["suite"] = "ack-lost-suite", ["my_account"] = "a", ["tbox_group"] = "vm-ack2" });
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        hold.Drop();
        var (status, body) = await submitting;

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, await Sql.ScalarAsync<long>(_connectionString, "SELECT COUNT(*) FROM jobs WHERE suite = 'ack-lost-suite'"));
        Assert.Equal(body!["id"]!.GetValue<string>(), (await Sql.ScalarAsync<long>(_connectionString, "SELECT id FROM jobs WHERE suite = 'ack-lost-suite'")).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
