using CompassCi.Grains.Lifecycle;
using Xunit;

namespace CompassCi.Tests.Unit.Lifecycle;

public class JobHealthTests
{
    [Theory]
    [InlineData("finished", "success")]
    [InlineData("OOM", "oom")]
    [InlineData("oom", "oom")]
    [InlineData("failed", "failed")]
    [InlineData("incomplete", "incomplete")]
    [InlineData("soft_timeout", "soft_timeout")]
    [InlineData("disturbed", "disturbed")]
    [InlineData("microcode_is_not_matched", "microcode_is_not_matched")]
    [InlineData("wget_kernel_fail", "wget_kernel_fail")]
    [InlineData("wget_initrd_fail", "wget_initrd_fail")]
    [InlineData("initrd_broken", "initrd_broken")]
    [InlineData("kexec_fail", "kexec_fail")]
    [InlineData("load_disk_fail", "load_disk_fail")]
    [InlineData("error_mount", "error_mount")]
    [InlineData("unknown_result_service", "unknown_result_service")]
    [InlineData("nfs_hang", "nfs_hang")]
    [InlineData("mount_fs_failed", "mount_fs_failed")]
    [InlineData("downgrade_ucode", "downgrade_ucode")]
    [InlineData("error:proxy", "error:proxy")]
    [InlineData("miss_xfs", "miss_xfs")]
    [InlineData("miss_btrfs", "miss_btrfs")]
    [InlineData("miss_ext4", "miss_ext4")]
    public void LkpOutcomeWordsBecomeHealth(string jobState, string health)
    {
        Assert.Equal(health, JobHealth.FromJobState(jobState));
        Assert.True(JobHealth.IsKnown(health));
    }

    [Theory]
    [InlineData("running")]
    [InlineData("post_run")]
    [InlineData("manual_check")]
    [InlineData("renew")]
    [InlineData("submit")]
    [InlineData("boot")]
    [InlineData("finish")]
    [InlineData("booting")]
    [InlineData("wget_kernel")]
    [InlineData("wget_initrd")]
    [InlineData("")]
    [InlineData("Finished")]
    [InlineData("FAILED")]
    [InlineData("Oom")]
    [InlineData("miss_")]
    [InlineData("miss_XFS")]
    [InlineData("miss_x fs")]
    [InlineData("timeout")]
    [InlineData("crash")]
    [InlineData("exploded")]
    public void StagesProgressWordsAndUnknownWordsAreNoHealth(string jobState)
    {
        Assert.Null(JobHealth.FromJobState(jobState));
    }

    [Fact]
    public void EveryFixedValueIsKnownAndDistinct()
    {
        Assert.Equal(24, JobHealth.All.Count);
        Assert.Equal(JobHealth.All.Count, JobHealth.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(JobHealth.All, h => Assert.True(JobHealth.IsKnown(h)));
    }

    [Fact]
    public void TheHealthValuesOfTheProtocolAreAllThere()
    {
        string[] protocol = ["success", "failed", "incomplete", "oom", "soft_timeout", "timeout", "crash", "abnormal", "cancel", "return", "disturbed"];

        Assert.All(protocol, h => Assert.Contains(h, JobHealth.All));
    }

    [Theory]
    [InlineData("finished")]
    [InlineData("OOM")]
    [InlineData("running")]
    [InlineData("miss_")]
    [InlineData("")]
    public void WordsThatAreNotHealthValuesAreNotKnown(string word)
    {
        Assert.False(JobHealth.IsKnown(word));
    }
}
