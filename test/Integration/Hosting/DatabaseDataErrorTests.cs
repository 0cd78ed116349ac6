using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosting;

/// <summary>
/// A value the database refuses (too long for its column) is the request's fault, never a 503 that tells the client to
/// retry for ever: 400 naming the column. Validation should stop such values first; this is the safety net behind it,
/// checked on two silos so that some of the grain calls fail on the other silo and their exception crosses Orleans'
/// serializer before it is classified.
/// </summary>
public sealed class DatabaseDataErrorTests(MariaDbFixture database) : IAsyncLifetime
{
    private SiloProcess? _first;
    private SiloProcess? _second;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("dataerr");
        var cluster = "de" + Guid.NewGuid().ToString("N")[..6];
        _first = await SiloProcess.StartAsync(connectionString, cluster);
        _second = await SiloProcess.StartAsync(connectionString, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_submit_too_long_for_its_column_is_a_400_naming_it()
    {
        using var client = _first!.CreateClient();
        using var response = await client.PostAsJsonAsync(
            "/api/v1/jobs", new { suite = new string('s', 129), my_account = "t" }, TestContext.Current.CancellationToken);
        await AssertNamesFieldAsync(response, "suite");
    }

    [Fact]
    public async Task A_host_name_too_long_for_its_column_is_a_400_naming_it_also_when_its_grain_lives_on_the_other_silo()
    {
        using var first = _first!.CreateClient();
        using var second = _second!.CreateClient();
        // The same host through both silos: its grain lives on one of them, so one of the two calls is remote and its
        // exception crosses Orleans' serializer.
        for (var i = 0; i < 4; i++)
        {
            var path = $"/api/v1/hosts/h{i}{new string('x', 300)}/wiped";
            foreach (var client in new[] { first, second })
            {
                using var response = await client.PostAsync(path, null, TestContext.Current.CancellationToken);
                await AssertNamesFieldAsync(response, "host");
            }
        }

        Assert.DoesNotContain("CodecNotFoundException", _first.Log() + _second.Log(), StringComparison.Ordinal);
    }

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Null(response.Headers.RetryAfter);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), text);
    }
}
