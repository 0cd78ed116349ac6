using System.Buffers.Text;
using System.Globalization;
using CompassCi.Grains.Accounts;

namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// The extra path segment that lets a testbox fetch its job.cgz, which holds the job's secrets:
/// <c>/job_initrd_tmpfs/&lt;id&gt;/&lt;token&gt;/job.cgz</c> (the file keeps the name <c>job.cgz</c> that iPXE and
/// lkp's kexec path look for). The token is the HMAC of the job id and its lease under the token key, like the job's
/// secret but in a domain of its own: nothing is stored, it cannot be guessed, and it dies with the lease.
/// </summary>
public static class JobInitrdToken
{
    /// <summary>The first segment of every job.cgz path.</summary>
    public const string Prefix = "/job_initrd_tmpfs/";

    /// <summary>The file name at the end of every job.cgz path.</summary>
    public const string FileName = "job.cgz";

    /// <summary>The token of job <paramref name="jobId"/> held under <paramref name="leaseId"/>.</summary>
    public static string Of(ReadOnlySpan<byte> key, long jobId, string leaseId)
    {
        ArgumentNullException.ThrowIfNull(leaseId);
        return Base64Url.EncodeToString(Tokens.Hash(key, "job.cgz:" + jobId.ToString(CultureInfo.InvariantCulture) + ":" + leaseId));
    }

    /// <summary>The path of job <paramref name="jobId"/>'s job.cgz while held under <paramref name="leaseId"/>: <c>/job_initrd_tmpfs/&lt;id&gt;/&lt;token&gt;/job.cgz</c>.</summary>
    public static string Path(ReadOnlySpan<byte> key, long jobId, string leaseId) =>
        Prefix + jobId.ToString(CultureInfo.InvariantCulture) + "/" + Of(key, jobId, leaseId) + "/" + FileName;

    /// <summary>True when <paramref name="presented"/> is the token of job <paramref name="jobId"/> under <paramref name="leaseId"/> (compared in constant time); false without a lease.</summary>
    public static bool IsValid(ReadOnlySpan<byte> key, string presented, long jobId, string? leaseId)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return leaseId is not null && Tokens.SameText(presented, Of(key, jobId, leaseId));
    }
}
