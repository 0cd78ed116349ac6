using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// One closed silo with the fair-share tests' accounts, created through the account API: alice, bob and carol with shares
/// 1:1:2, dave (1, arrives late), and erin (1, running cap 2).
/// </summary>
public sealed class FairShareSilo(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _silo;
    private HttpClient? _http;

    public string ConnectionString { get; private set; } = "";

    public HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    public SchedulerClient Client => new(Http);

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.CreateMigratedDatabaseAsync("fair");
        var admin = "admin-" + Guid.NewGuid().ToString("N");
        _silo = await SiloProcess.StartAsync(ConnectionString, "fair" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string> { ["CompassCi__Auth__AdminToken"] = admin });
        _http = _silo.CreateClient();

        // The tests act as the admin, who may submit for any account and take jobs as any testbox.
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);

        // Created through the account API after the silo started, so fair-share learns shares and caps from the
        // account API's change notice, not from its first read of the table.
        foreach (var (name, shares, cap) in new (string Name, int Shares, int? Cap)[] { ("alice", 1, null), ("bob", 1, null), ("carol", 2, null), ("dave", 1, null), ("erin", 1, 2) })
        {
            var account = new System.Text.Json.Nodes.JsonObject { ["my_account"] = name, ["my_email"] = $"{name}@example.com", ["my_name"] = name, ["shares"] = shares };
            if (cap is { } limit)
            {
                account["running_limit"] = limit;
            }

            using var created = await _http.PostAsync("/api/v1/accounts", new StringContent(account.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, $"create {name}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        // The silo ranks from the picture it last had from the fair-share keeper (at most a second old): wait until it
        // shows the new shares and the cap, as an operator would read them, before any test relies on them.
        var known = await Eventually.HoldsAsync(async () =>
        {
            var accounts = System.Text.Json.Nodes.JsonNode.Parse(await _http.GetStringAsync("/api/v1/fairshare"))!["accounts"]!.AsArray();
            int? Read(string account, string field) => accounts.FirstOrDefault(a => (string?)a!["my_account"] == account)?[field]?.GetValue<int?>();
            return Read("carol", "shares") == 2 && Read("erin", "running_cap") == 2;
        }, TimeSpan.FromSeconds(10));
        Assert.True(known, "the silo's fair-share picture never showed carol's 2 shares and erin's cap of 2");
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
