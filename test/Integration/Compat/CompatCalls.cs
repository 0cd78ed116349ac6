using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>Calls as lkp-tests makes them: JSON bodies posted form-encoded (rest-client's default), raw answers.</summary>
public static class CompatCalls
{
    public static async Task<(HttpStatusCode Status, string Text)> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(path, content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The md5 lkp-tests names a package by (an integrity check, not security).</summary>
#pragma warning disable CA5351
    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    /// <summary>A job as lkp's sbin/submit sends it (after its matrix is expanded), with a package of <paramref name="cgz"/>.</summary>
    public static JsonObject LkpJob(string account, byte[] cgz, string testbox = "vm-2p8g--x") => new()
    {
        ["#! jobs/hackbench.yaml"] = null,
        ["suite"] = "hackbench",
        ["testcase"] = "hackbench",
        ["category"] = "benchmark",
        ["nr_threads"] = "50%",
        ["hackbench"] = new JsonObject { ["mode"] = "process", ["ipc"] = "pipe" },
        ["testbox"] = testbox,
        ["tbox_group"] = testbox.Split("--")[0],
        ["memory"] = "8G",
        ["arch"] = "aarch64",
        ["os"] = "openeuler",
        ["os_version"] = "20.03",
        ["job_origin"] = "jobs/hackbench.yaml",
        ["submit_id"] = Guid.NewGuid().ToString(),
        ["pp"] = new JsonObject { ["hackbench"] = new JsonObject { ["nr_threads"] = "50%", ["mode"] = "process", ["ipc"] = "pipe" } },
        ["timeout"] = 3600,
        ["SCHED_HOST"] = "127.0.0.1",
        ["SCHED_PORT"] = "3000",
        ["my_email"] = $"{account}@example.org",
        ["my_name"] = account,
        ["my_account"] = account,
        ["my_token"] = "not-checked-in-open-mode",
        ["lab"] = "z9",
        ["job2sh"] = new JsonObject
        {
            ["run_job"] = new JsonArray("#!/bin/sh", null, "run_job()", "{", "\trun_test mode=process ipc=pipe $LKP_SRC/tests/wrapper hackbench", "}"),
            ["extract_stats"] = new JsonArray("extract_stats()", "{", null, "}"),
            ["define_files"] = new JsonArray(),
        },
        ["nr_run"] = 1,
        ["pkg_data"] = new JsonObject
        {
            ["lkp-tests"] = new JsonObject
            {
                ["tag"] = "v3.0",
                ["md5"] = Md5(cgz),
                ["content"] = Convert.ToBase64String(cgz),
            },
        },
    };
}
