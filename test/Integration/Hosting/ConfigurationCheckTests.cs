using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosting;

/// <summary>A bad setting stops the silo before it starts anything, with exit code 78 and a message naming the key and what it allows.</summary>
public sealed class ConfigurationCheckTests(MariaDbFixture database)
{
    private async Task<(int? ExitCode, string Log)> RunAsync(Dictionary<string, string> settings)
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("config");
        await using var silo = SiloProcess.Launch(connectionString, "cfg" + Guid.NewGuid().ToString("N")[..6], settings);
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, silo.Log());
    }

    [Fact]
    public async Task A_value_out_of_range_stops_the_silo_naming_the_key_and_the_range()
    {
        var (exitCode, log) = await RunAsync(new() { ["CompassCi__Lifecycle__LeaseSeconds"] = "0", ["CompassCi__JobStore__ConcurrentCommits"] = "500", ["CompassCi__DatabaseBufferPoolMegabytes"] = "8", ["CompassCi__DatabaseRedoLogMegabytes"] = "4" });

        Assert.Equal(78, exitCode);
        Assert.Contains("CompassCi:Lifecycle:LeaseSeconds is 0; it must be a whole number of seconds from 1 to 86400", log, StringComparison.Ordinal);
        Assert.Contains("CompassCi:JobStore:ConcurrentCommits is 500; it must be a whole number from 1 to 64", log, StringComparison.Ordinal);
        Assert.Contains("CompassCi:DatabaseBufferPoolMegabytes is 8; it must be a whole number of MiB from 16 to 1048576", log, StringComparison.Ordinal);
        Assert.Contains("CompassCi:DatabaseRedoLogMegabytes is 4; it must be a whole number of MiB from 16 to 524288", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_key_a_value_of_the_wrong_type_and_a_bad_health_check_job_are_refused_too()
    {
        var (typo, typoLog) = await RunAsync(new() { ["CompassCi__Lifecycle__LeaseSecnds"] = "30" });
        var (wrongType, wrongTypeLog) = await RunAsync(new() { ["CompassCi__Clusters__MaxHold"] = "soon" });
        var (badJob, badJobLog) = await RunAsync(new() { ["CompassCi__Hosts__HealthCheckJobs__vm-2p8g"] = "{\"suite\": 1}" });

        Assert.Equal((78, 78, 78), (typo, wrongType, badJob));
        Assert.Contains("LeaseSecnds", typoLog, StringComparison.Ordinal);
        Assert.Contains("CompassCi:Clusters:MaxHold", wrongTypeLog, StringComparison.Ordinal);
        Assert.Contains("CompassCi:Hosts:HealthCheckJobs:vm-2p8g must be a job as a JSON object", badJobLog, StringComparison.Ordinal);
    }
}
