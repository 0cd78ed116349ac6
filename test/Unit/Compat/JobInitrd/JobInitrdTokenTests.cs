using System.Security.Cryptography;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Compat.JobInitrd;

namespace CompassCi.Tests.Unit.Compat.JobInitrd;

public class JobInitrdTokenTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void The_path_carries_the_token_of_the_job_and_its_lease()
    {
        var path = JobInitrdToken.Path(Key, 42, "lease-1");
        var token = JobInitrdToken.Of(Key, 42, "lease-1");

        Assert.Equal($"/job_initrd_tmpfs/42/{token}/job.cgz", path);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(path, JobInitrdToken.Path(Key, 42, "lease-1"));
    }

    [Fact]
    public void A_token_opens_only_its_job_under_its_lease_and_key()
    {
        var token = JobInitrdToken.Of(Key, 42, "lease-1");

        Assert.True(JobInitrdToken.IsValid(Key, token, 42, "lease-1"));
        Assert.False(JobInitrdToken.IsValid(Key, token, 42, "lease-2"));
        Assert.False(JobInitrdToken.IsValid(Key, token, 42, null));
        Assert.False(JobInitrdToken.IsValid(Key, token, 43, "lease-1"));
        Assert.False(JobInitrdToken.IsValid(RandomNumberGenerator.GetBytes(32), token, 42, "lease-1"));
        Assert.False(JobInitrdToken.IsValid(Key, token[..^1], 42, "lease-1"));
        Assert.False(JobInitrdToken.IsValid(Key, "", 42, "lease-1"));
        // Not the job's secret either: knowing the URL does not let one act as the job.
        Assert.DoesNotContain(token, Tokens.JobSecret(Key, 42, "lease-1"), StringComparison.Ordinal);
    }
}
