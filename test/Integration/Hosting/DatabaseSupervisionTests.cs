using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosting;

/// <summary>
/// The README's run command (no connection string: a private MariaDB): a signal to the silo's whole process group stops
/// the silo first and its database after it, within a bound; a database that is stopped does not hold the silo's
/// shutdown; a database that dies is restarted and the silo serves again by itself.
/// </summary>
public sealed class DatabaseSupervisionTests(ITestOutputHelper output) : PrivateDataDirectory("compassci-supervision")
{
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SIGTERM_to_the_whole_process_group_stops_the_silo_within_the_bound_and_its_database_after_it()
    {
        await using var silo = await SiloProcess.StartWithPrivateDatabaseAsync(DataDirectory, "grp" + Guid.NewGuid().ToString("N")[..6], ownProcessGroup: true);
        var database = new PrivateDatabaseProcess(DataDirectory);
        var databasePid = database.Pid;
        Assert.Equal(silo.ProcessId, PrivateDatabaseProcess.ProcessGroup(silo.ProcessId));
        // Out of reach of the group's signal: it stops when the silo is done with it.
        Assert.NotEqual(silo.ProcessId, PrivateDatabaseProcess.ProcessGroup(databasePid));
        await SubmitAsync(silo);

        var clock = Stopwatch.StartNew();
        silo.SignalProcessGroup(PrivateDatabaseProcess.SigTerm);
        var exitCode = await silo.WaitForExitAsync(ShutdownBound);
        output.WriteLine($"SIGTERM to the process group: silo exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} after {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(exitCode == 0, $"the silo did not exit cleanly within {ShutdownBound} (exit {exitCode}):\n{silo.Log()}");
        Assert.False(PrivateDatabaseProcess.IsRunning(databasePid), "the private mariadbd outlived the silo");
        // The database was there for the whole shutdown: Orleans left the membership table without an error.
        Assert.DoesNotContain("MySqlException", silo.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_database_does_not_hold_the_silos_shutdown()
    {
        await using var silo = await SiloProcess.StartWithPrivateDatabaseAsync(DataDirectory, "stp" + Guid.NewGuid().ToString("N")[..6]);
        var databasePid = new PrivateDatabaseProcess(DataDirectory).Pid;
        await SubmitAsync(silo);

        await PrivateDatabaseProcess.StopAsync(databasePid);
        var clock = Stopwatch.StartNew();
        silo.Signal(PrivateDatabaseProcess.SigTerm);
        var exitCode = await silo.WaitForExitAsync(ShutdownBound + TimeSpan.FromSeconds(10));
        output.WriteLine($"SIGTERM with the database stopped: silo exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} after {clock.Elapsed.TotalSeconds:0.0} s");
        if (exitCode is null)
        {
            PrivateDatabaseProcess.Signal(databasePid, PrivateDatabaseProcess.SigCont);
        }

        Assert.True(exitCode is not null, $"the silo still runs {clock.Elapsed} after SIGTERM:\n{silo.Log()}");
        Assert.True(clock.Elapsed < ShutdownBound + TimeSpan.FromSeconds(5), $"shutdown took {clock.Elapsed}");
        Assert.False(PrivateDatabaseProcess.IsRunning(databasePid), "the stopped mariadbd was left behind");
    }

    [Fact]
    public async Task A_killed_database_is_restarted_on_the_same_port_and_the_silo_serves_again_by_itself()
    {
        await using var silo = await SiloProcess.StartWithPrivateDatabaseAsync(DataDirectory, "kil" + Guid.NewGuid().ToString("N")[..6]);
        var database = new PrivateDatabaseProcess(DataDirectory);
        var firstPid = database.Pid;
        await SubmitAsync(silo);

        PrivateDatabaseProcess.Signal(firstPid, PrivateDatabaseProcess.SigKill);
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        var recovered = await Eventually.HoldsAsync(
            async () =>
            {
                using var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
                return ready.StatusCode == HttpStatusCode.OK && database.Pid != firstPid;
            },
            TimeSpan.FromSeconds(30));
        output.WriteLine($"killed mariadbd {firstPid}: ready again after {clock.Elapsed.TotalSeconds:0.0} s with mariadbd {database.Pid}");

        Assert.True(recovered, $"not ready again within 30 s:\n{silo.Log()}");
        Assert.False(silo.HasExited);
        Assert.True(PrivateDatabaseProcess.IsRunning(database.Pid));
        Assert.Contains($"MariaDB {firstPid} exited unexpectedly", silo.Log(), StringComparison.Ordinal);
        var job = await SubmitAsync(silo);
        using var read = await client.GetAsync($"/api/v1/jobs/{job}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task A_silo_killed_with_SIGKILL_leaves_its_database_running_and_the_restarted_silo_takes_it_over()
    {
        var name = "adp" + Guid.NewGuid().ToString("N")[..6];
        int databasePid;
        string job;
        await using (var killed = await SiloProcess.StartWithPrivateDatabaseAsync(DataDirectory, name))
        {
            databasePid = new PrivateDatabaseProcess(DataDirectory).Pid;
            job = await SubmitAsync(killed);
            // The silo alone, as `kill -9 <pid>` does (KillAsync ends its whole tree, its database with it).
            killed.Signal(PrivateDatabaseProcess.SigKill);
            Assert.NotNull(await killed.WaitForExitAsync(ShutdownBound));
        }

        Assert.True(PrivateDatabaseProcess.IsRunning(databasePid), "a silo killed with SIGKILL cannot stop its database");
        var clock = Stopwatch.StartNew();
        await using var restarted = await SiloProcess.StartWithPrivateDatabaseAsync(DataDirectory, name);
        output.WriteLine($"restarted on the running mariadbd {databasePid}: ready after {clock.Elapsed.TotalSeconds:0.0} s");

        // The same server, now the new silo's: not stopped and started again (which costs a flush and a recovery).
        Assert.Equal(databasePid, new PrivateDatabaseProcess(DataDirectory).Pid);
        Assert.Contains($"Took over MariaDB {databasePid}", restarted.Log(), StringComparison.Ordinal);
        using var client = restarted.CreateClient();
        using var consumed = await client.PostAsJsonAsync("/api/v1/testboxes/sup--1/consume", new { wait_seconds = 5 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, consumed.StatusCode);
        Assert.Equal(job, (string)(await consumed.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(TestContext.Current.CancellationToken))!["id"]!);

        // And it stops it when it stops, as a server it started itself.
        restarted.Signal(PrivateDatabaseProcess.SigTerm);
        Assert.Equal(0, await restarted.WaitForExitAsync(ShutdownBound));
        Assert.False(PrivateDatabaseProcess.IsRunning(databasePid), "the taken-over mariadbd outlived the silo");
    }

    private static async Task<string> SubmitAsync(SiloProcess silo)
    {
        using var client = silo.CreateClient();
        using var response = await client.PostAsJsonAsync(
            "/api/v1/jobs", new { suite = "supervision", my_account = "t", tbox_group = "sup" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(TestContext.Current.CancellationToken);
        return (string)body!["id"]!;
    }
}
