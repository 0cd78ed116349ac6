using System.Buffers;

namespace CompassCi.Contracts.Jobs;

/// <summary>
/// How a job ended (<c>job_health</c>), spelled as compass-ci spells it on the wire and in the <c>jobs.health</c>
/// column. Strings rather than an enum because lkp-tests reports some outcomes as free words (<c>miss_xfs</c>)
/// that the column must keep verbatim.
/// </summary>
public static class JobHealth
{
    /// <summary>The test ran to its end (lkp-tests reports <c>finished</c>).</summary>
    public const string Success = "success";

    /// <summary>The test ran and failed.</summary>
    public const string Failed = "failed";

    /// <summary>The test stopped before producing all its results.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>The kernel's OOM killer hit the test (lkp-tests reports <c>OOM</c>).</summary>
    public const string Oom = "oom";

    /// <summary>The test overran its own runtime and was stopped by lkp-tests.</summary>
    public const string SoftTimeout = "soft_timeout";

    /// <summary>The scheduler closed the job because it overran its stage deadline.</summary>
    public const string Timeout = "timeout";

    /// <summary>The job crashed; its crash record says who to notify and why.</summary>
    public const string Crash = "crash";

    /// <summary>The testbox started another job while this one was still open.</summary>
    public const string Abnormal = "abnormal";

    /// <summary>A user cancelled the job.</summary>
    public const string Cancel = "cancel";

    /// <summary>The testbox gave the job back without running it.</summary>
    public const string Return = "return";

    /// <summary>Something outside the test disturbed the measurement, so the result is not trusted.</summary>
    public const string Disturbed = "disturbed";

    /// <summary>lkp-tests: the testbox's CPU microcode is not the one the job asked for.</summary>
    public const string MicrocodeIsNotMatched = "microcode_is_not_matched";

    /// <summary>lkp-tests: the kexec path could not download the kernel.</summary>
    public const string WgetKernelFail = "wget_kernel_fail";

    /// <summary>lkp-tests: the kexec path could not download an initrd.</summary>
    public const string WgetInitrdFail = "wget_initrd_fail";

    /// <summary>lkp-tests: a downloaded initrd is damaged.</summary>
    public const string InitrdBroken = "initrd_broken";

    /// <summary>lkp-tests: kexec into the job's kernel failed.</summary>
    public const string KexecFail = "kexec_fail";

    /// <summary>lkp-tests: the job's disk could not be loaded.</summary>
    public const string LoadDiskFail = "load_disk_fail";

    /// <summary>lkp-tests: a mount failed during setup.</summary>
    public const string ErrorMount = "error_mount";

    /// <summary>lkp-tests: the result service named by the job is not known.</summary>
    public const string UnknownResultService = "unknown_result_service";

    /// <summary>lkp-tests: the NFS result mount hung.</summary>
    public const string NfsHang = "nfs_hang";

    /// <summary>lkp-tests: a file system the job needs could not be mounted.</summary>
    public const string MountFsFailed = "mount_fs_failed";

    /// <summary>lkp-tests: the microcode had to be downgraded, so the run is not representative.</summary>
    public const string DowngradeUcode = "downgrade_ucode";

    /// <summary>lkp-tests: the proxy the job needs failed.</summary>
    public const string ErrorProxy = "error:proxy";

    /// <summary>The job was one node of a multi-node cluster that aborted (another node failed, or the cluster did not start in time).</summary>
    public const string Abort = "abort";

    /// <summary>
    /// Prefix of lkp-tests' <c>miss_&lt;fs&gt;</c> words (<c>miss_xfs</c>, <c>miss_btrfs</c>): the kernel lacks
    /// a file system the job needs. The whole word is the health, so the missing file system stays visible.
    /// </summary>
    public const string MissFilesystemPrefix = "miss_";

    /// <summary>Every fixed health value; <c>miss_&lt;fs&gt;</c> words are health values too (see <see cref="IsKnown"/>).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Success, Failed, Incomplete, Oom, SoftTimeout, Timeout, Crash, Abnormal, Cancel, Return, Disturbed,
        MicrocodeIsNotMatched, WgetKernelFail, WgetInitrdFail, InitrdBroken, KexecFail, LoadDiskFail, ErrorMount,
        UnknownResultService, NfsHang, MountFsFailed, DowngradeUcode, ErrorProxy, Abort,
    ];

    private static readonly HashSet<string> Fixed = new(All, StringComparer.Ordinal);

    private static readonly SearchValues<char> FilesystemNameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>
    /// The lkp-tests <c>job_state</c> words that are outcomes, with the health each becomes. Only two change
    /// spelling; the failure words are stored as they come so the cause stays readable in the column.
    /// </summary>
    private static readonly Dictionary<string, string> FromLkp = new(StringComparer.Ordinal)
    {
        ["finished"] = Success,
        ["OOM"] = Oom,
        [Oom] = Oom,
        [Failed] = Failed,
        [Incomplete] = Incomplete,
        [SoftTimeout] = SoftTimeout,
        [Disturbed] = Disturbed,
        [MicrocodeIsNotMatched] = MicrocodeIsNotMatched,
        [WgetKernelFail] = WgetKernelFail,
        [WgetInitrdFail] = WgetInitrdFail,
        [InitrdBroken] = InitrdBroken,
        [KexecFail] = KexecFail,
        [LoadDiskFail] = LoadDiskFail,
        [ErrorMount] = ErrorMount,
        [UnknownResultService] = UnknownResultService,
        [NfsHang] = NfsHang,
        [MountFsFailed] = MountFsFailed,
        [DowngradeUcode] = DowngradeUcode,
        [ErrorProxy] = ErrorProxy,
    };

    /// <summary>
    /// The health an lkp-tests <c>job_state</c> value stands for: <c>finished</c> → <c>success</c>,
    /// <c>OOM</c> → <c>oom</c>, failure words (<c>failed</c>, <c>incomplete</c>, <c>soft_timeout</c>,
    /// <c>disturbed</c>, <c>kexec_fail</c>, <c>miss_xfs</c>, …) → themselves.
    /// </summary>
    /// <returns>
    /// Null when the value is no outcome: a stage (<c>running</c>, <c>post_run</c>, …), a progress word
    /// (<c>booting</c>, <c>wget_kernel</c>; compass-ci stores those as health by accident, we do not), or a word
    /// lkp-tests does not send.
    /// </returns>
    public static string? FromJobState(string jobState)
    {
        ArgumentNullException.ThrowIfNull(jobState);
        if (FromLkp.TryGetValue(jobState, out var health))
        {
            return health;
        }

        return IsMissingFilesystem(jobState) ? jobState : null;
    }

    /// <summary>Whether <paramref name="health"/> is a health value: one of <see cref="All"/> or a <c>miss_&lt;fs&gt;</c> word.</summary>
    public static bool IsKnown(string health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return Fixed.Contains(health) || IsMissingFilesystem(health);
    }

    /// <summary><c>miss_</c> and a file system name in lower-case ASCII letters, digits or underscores.</summary>
    private static bool IsMissingFilesystem(string word) =>
        word.Length > MissFilesystemPrefix.Length
        && word.StartsWith(MissFilesystemPrefix, StringComparison.Ordinal)
        && word.AsSpan(MissFilesystemPrefix.Length).IndexOfAnyExcept(FilesystemNameChars) < 0;
}
