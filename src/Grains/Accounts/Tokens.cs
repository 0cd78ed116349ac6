using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CompassCi.Grains.Accounts;

/// <summary>
/// The shapes of secrets and how they are hashed. Account tokens are random and stored only as HMAC-SHA256 under the
/// token key; job secrets are not stored at all: they are the HMAC of the job's id and its lease, so they die with the
/// lease (a job given back or rescheduled gets a new one).
/// </summary>
public static class Tokens
{
    /// <summary>Every account token starts so.</summary>
    public const string AccountPrefix = "cci_";

    /// <summary>Every per-job secret starts so: <c>cjs_&lt;job id&gt;_&lt;mac&gt;</c>.</summary>
    public const string JobSecretPrefix = "cjs_";

    /// <summary>A new account token: the prefix and 32 random bytes, base64url.</summary>
    public static string NewAccountToken() => AccountPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>HMAC-SHA256 of <paramref name="token"/> under <paramref name="key"/>: what is stored and compared.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> key, string token) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(token));

    /// <summary>The hash as lowercase hex: the key of the token's grain.</summary>
    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>The secret of job <paramref name="jobId"/> while held under <paramref name="leaseId"/>.</summary>
    public static string JobSecret(ReadOnlySpan<byte> key, long jobId, string leaseId)
    {
        var id = jobId.ToString(CultureInfo.InvariantCulture);
        return $"{JobSecretPrefix}{id}_{Base64Url.EncodeToString(Hash(key, "job:" + id + ":" + leaseId))}";
    }

    /// <summary>The job a secret names, when it has the shape of one (whether it is valid is for <see cref="IsJobSecret"/>).</summary>
    public static bool TryReadJobId(string secret, out long jobId)
    {
        jobId = 0;
        if (!secret.StartsWith(JobSecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = secret.AsSpan(JobSecretPrefix.Length);
        var end = rest.IndexOf('_');
        return end > 0 && long.TryParse(rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out jobId) && jobId > 0;
    }

    /// <summary>True when <paramref name="secret"/> is job <paramref name="jobId"/>'s secret under <paramref name="leaseId"/> (compared in constant time).</summary>
    public static bool IsJobSecret(ReadOnlySpan<byte> key, string secret, long jobId, string? leaseId) =>
        leaseId is not null && SameText(secret, JobSecret(key, jobId, leaseId));

    /// <summary>
    /// Constant-time comparison of two secrets, through their hashes so that neither the content nor the length leaks
    /// through timing.
    /// </summary>
    public static bool SameText(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
