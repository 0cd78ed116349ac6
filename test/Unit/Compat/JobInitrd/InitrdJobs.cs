using System.Text.Json.Nodes;
using CompassCi.Grains.Compat.JobInitrd;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

/// <summary>Jobs as a testbox holds them, for the job.cgz tests.</summary>
internal static class InitrdJobs
{
    public static readonly InitrdServer Server = new("sched.example", 3000, 3080);

    public static readonly long BootMillis = DateTimeOffset.Parse("2026-03-01T10:20:30Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    /// <summary>A held job whose document is <paramref name="document"/>.</summary>
    public static JobRecord Held(JsonObject document, long id = 42) => new()
    {
        Id = id,
        SubmitTime = BootMillis - 60_000,
        Account = "alice",
        Suite = "ebizzy",
        TboxGroup = "vm-2p8g",
        Testbox = "vm-2p8g--h1-0",
        Host = "h1",
        QueueKey = "tbox_group=vm-2p8g",
        Stage = JobStages.Running,
        Priority = 0,
        MemoryMb = 1024,
        Version = 3,
        LeaseId = "lease-1",
        BootTime = BootMillis,
        ResultRoot = $"/result/ebizzy/2026-03-01/vm-2p8g/openeuler-20.03-aarch64/200%/{id}",
        Document = document.ToJsonString(),
    };

    /// <summary>A document as lkp's submit sends one: account keys, secrets, job2sh with null lines, pkg_data.</summary>
    public static JsonObject LkpDocument() => new()
    {
        ["#! jobs/ebizzy.yaml"] = null,
        ["suite"] = "ebizzy",
        ["testbox"] = "vm-2p8g",
        ["os"] = "openeuler",
        ["os_version"] = "20.03",
        ["nr_threads"] = "200%",
        ["runtime"] = 300,
        ["ebizzy"] = new JsonObject { ["duration"] = "10s" },
        ["my_email"] = "alice@example.com",
        ["my_account"] = "alice",
        ["my_token"] = "cci_the-account-token",
        ["SCHED_HOST"] = "submit-host.example",
        ["secrets"] = new JsonObject { ["db_password"] = "pa55", ["api_key"] = "k-1" },
        ["pkg_data"] = new JsonObject { ["lkp-tests"] = new JsonObject { ["tag"] = "v3.0", ["md5"] = "abc", ["content"] = "H4sIAAAA-the-client" } },
        ["job2sh"] = new JsonObject
        {
            ["run_job"] = new JsonArray("run_job()", "{", null, "\techo ran:$id:$nr_threads", "}\n\n"),
            ["extract_stats"] = new JsonArray("extract_stats()", "{", "\techo stats", null, "}\n\n"),
            ["define_files"] = new JsonArray("define_files()", "{", "\texport define_files=''", "}\n\n"),
            ["on_fail"] = null,
        },
    };

    /// <summary>The parts of <see cref="Held"/>'s job.cgz, in UTC.</summary>
    public static InitrdParts Parts(JsonObject document, long id = 42) => InitrdJob.Split(Held(document, id), Server, TimeZoneInfo.Utc);
}
