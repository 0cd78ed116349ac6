using CompassCi.Grains.Compat.Lkp;

namespace CompassCi.Tests.Unit.Compat;

/// <summary>The job_state words of lkp-tests, each mapped to what it does on the native lifecycle.</summary>
public sealed class LkpJobStatesTests
{
    [Theory]
    [InlineData("running")]
    [InlineData("post_run")]
    [InlineData("manual_check")]
    [InlineData("renew")]
    public void StageWordsMoveTheJobToThatStage(string word)
    {
        var state = LkpJobStates.Classify(word);
        Assert.Equal(LkpJobStateKind.Stage, state.Kind);
        Assert.Equal(word, state.Stage);
        Assert.Null(state.Health);
    }

    [Theory]
    [InlineData("finished", "success")]
    [InlineData("failed", "failed")]
    [InlineData("incomplete", "incomplete")]
    [InlineData("OOM", "oom")]
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
    [InlineData("miss_xfs", "miss_xfs")]
    [InlineData("nfs_hang", "nfs_hang")]
    [InlineData("error:proxy", "error:proxy")]
    public void FinishWordsNoteTheirHealth(string word, string health)
    {
        var state = LkpJobStates.Classify(word);
        Assert.Equal(LkpJobStateKind.Outcome, state.Kind);
        Assert.Equal(health, state.Health);
        Assert.Null(state.Stage);
    }

    [Theory]
    [InlineData("booting")]
    [InlineData("wget_kernel")]
    [InlineData("wget_initrd")]
    public void ProgressWordsAreOnlyRecorded(string word)
    {
        var state = LkpJobStates.Classify(word);
        Assert.Equal(LkpJobStateKind.Progress, state.Kind);
        Assert.Null(state.Stage);
        Assert.Null(state.Health);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("boot")]
    [InlineData("finish")]
    [InlineData("complete")]
    [InlineData("Running")]
    [InlineData("")]
    [InlineData("on_fail")]
    [InlineData("success")]
    public void OtherWordsAreUnknown(string word)
    {
        Assert.Equal(LkpJobStateKind.Unknown, LkpJobStates.Classify(word).Kind);
    }

    [Theory]
    [InlineData("return", "failed", "failed", "return")]
    [InlineData(null, "failed", "success", "failed")]
    [InlineData(null, null, "failed", "failed")]
    [InlineData(null, "running", "oom", "oom")]
    [InlineData(null, null, null, "success")]
    public void PostRunHealthPrefersTheCallThenTheNotedWord(string? jobHealth, string? jobState, string? noted, string expected)
    {
        Assert.Equal(expected, LkpJobStates.HealthAtPostRun(jobHealth, jobState, noted));
    }
}
