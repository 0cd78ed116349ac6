using CompassCi.Grains.Compat.JobInitrd;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

public class InitrdJobTests
{
    [Fact]
    public void The_job_yaml_has_the_hand_out_fields_and_none_of_the_withheld_ones()
    {
        var parts = InitrdJobs.Parts(InitrdJobs.LkpDocument());
        var yaml = YamlText.Of(parts.Job);

        Assert.StartsWith("\"#! jobs/ebizzy.yaml\":\nsuite: ebizzy\ntestbox: vm-2p8g--h1-0\n", yaml, StringComparison.Ordinal);
        foreach (var line in new[] { "id: \"42\"", "job_stage: boot", "job_state: boot", "tbox_group: vm-2p8g", "host_machine: h1", "boot_time: \"2026-03-01T10:20:30+0000\"", "LKP_SERVER: sched.example", "LKP_CGI_PORT: 3000", "RESULT_WEBDAV_PORT: 3080", "SCHED_HOST: sched.example", "result_root: /result/ebizzy/2026-03-01/vm-2p8g/openeuler-20.03-aarch64/200%/42" })
        {
            Assert.Contains("\n" + line + "\n", yaml, StringComparison.Ordinal);
        }

        foreach (var withheld in new[] { "my_token", "cci_the-account-token", "secrets", "pa55", "job2sh", "run_job", "H4sIAAAA" })
        {
            Assert.DoesNotContain(withheld, yaml, StringComparison.Ordinal);
        }

        Assert.Contains("  lkp-tests:\n    tag: v3.0\n    md5: abc\n", yaml, StringComparison.Ordinal);
        Assert.Equal("pa55", parts.Secrets["db_password"]?.GetValue<string>());
    }
}
