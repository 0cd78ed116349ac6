namespace CompassCi.Grains.Compat.Lkp;

/// <summary>The classes of words an lkp testbox sends as <c>job_state</c> (see <see cref="LkpJobStates"/>).</summary>
public enum LkpJobStateKind
{
    /// <summary>Not a word lkp-tests sends, or one only the scheduler sets (submit, boot, finish, complete): refused with 400.</summary>
    Unknown,

    /// <summary>A stage the holder moves the job to: running, post_run, manual_check, renew.</summary>
    Stage,

    /// <summary>A finish word (finished, failed, OOM, kexec_fail, miss_xfs, …): its health is noted; the job ends at lkp-post-run.</summary>
    Outcome,

    /// <summary>A progress word of the kexec path (booting, wget_kernel, wget_initrd): recorded as the job's job_state only.</summary>
    Progress,
}

/// <summary>What one <c>job_state</c> word means: its class and, for a stage or an outcome, the stage or health it stands for.</summary>
public sealed record LkpJobState(string Word, LkpJobStateKind Kind, string? Stage = null, string? Health = null);
