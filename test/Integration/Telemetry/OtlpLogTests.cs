using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Telemetry;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the silo's logs go over OTLP too (http/protobuf to a receiver of the
/// test's own), each with its scopes' fields as attributes and the message as written.
/// </summary>
public sealed class OtlpLogTests(MariaDbFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hand_out_line_reaches_the_otlp_endpoint_with_job_id_testbox_and_its_formatted_message()
    {
        using var receiver = new OtlpReceiver();
        var connectionString = await database.CreateMigratedDatabaseAsync("otlplogs");
        await using var silo = await SiloProcess.StartAsync(connectionString, "otl" + Guid.NewGuid().ToString("N")[..6], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export each batch of log records within a tenth of a second rather than the default five.
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        });
        using var http = silo.CreateClient();
        var client = new SchedulerClient(http);
        var group = "vm-otl" + Guid.NewGuid().ToString("N")[..6];
        var testbox = $"{group}--1";
        var id = (await client.SubmitAsync(new JsonObject { ["suite"] = "s", ["my_account"] = "a", ["tbox_group"] = group }, Cancel))["id"]!.GetValue<string>();
        Assert.Equal(id, (await client.ConsumeAsync(testbox, new Dictionary<string, string>(), 4, 5, cancellationToken: Cancel))!["id"]!.GetValue<string>());

        var handedOut = $"Job {id} handed to testbox {testbox}";
        string? export = null;
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult((export = receiver.LogExports.FirstOrDefault(l => l.Contains(handedOut, StringComparison.Ordinal))) is not null),
            TimeSpan.FromSeconds(20)), $"no OTLP log export holds '{handedOut}' ({receiver.LogExports.Count} exports received)");
        Assert.NotNull(export);
        Assert.Contains("job_id", export, StringComparison.Ordinal);
        Assert.Contains("testbox", export, StringComparison.Ordinal);
        Assert.Contains(id, export.Replace(handedOut, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
