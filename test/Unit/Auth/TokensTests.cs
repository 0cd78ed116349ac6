using System.Security.Cryptography;
using CompassCi.Grains.Accounts;

namespace CompassCi.Tests.Unit.Auth;

public class TokensTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Account_tokens_are_random_and_hash_to_32_bytes_under_the_key()
    {
        var a = Tokens.NewAccountToken();
        var b = Tokens.NewAccountToken();
        Assert.NotEqual(a, b);
        Assert.StartsWith(Tokens.AccountPrefix, a, StringComparison.Ordinal);
        Assert.Equal(Tokens.AccountPrefix.Length + 43, a.Length);
        Assert.DoesNotContain('+', a);
        Assert.DoesNotContain('/', a);

        Assert.Equal(32, Tokens.Hash(Key, a).Length);
        Assert.Equal(Tokens.Hash(Key, a), Tokens.Hash(Key, a));
        Assert.NotEqual(Tokens.Hash(Key, a), Tokens.Hash(RandomNumberGenerator.GetBytes(32), a));
        Assert.Equal(64, Tokens.Hex(Tokens.Hash(Key, a)).Length);
    }

    [Fact]
    public void A_job_secret_names_its_job_and_holds_only_for_its_job_and_lease()
    {
        var secret = Tokens.JobSecret(Key, 42, "lease-1");
        Assert.True(Tokens.TryReadJobId(secret, out var id));
        Assert.Equal(42, id);
        Assert.True(Tokens.IsJobSecret(Key, secret, 42, "lease-1"));
        Assert.Equal(secret, Tokens.JobSecret(Key, 42, "lease-1"));

        Assert.False(Tokens.IsJobSecret(Key, secret, 42, "lease-2"));
        Assert.False(Tokens.IsJobSecret(Key, secret, 42, null));
        Assert.False(Tokens.IsJobSecret(Key, secret, 43, "lease-1"));
        Assert.False(Tokens.IsJobSecret(RandomNumberGenerator.GetBytes(32), secret, 42, "lease-1"));
        // Naming another job in front of a valid mac does not make it that job's.
        Assert.False(Tokens.IsJobSecret(Key, secret.Replace("cjs_42_", "cjs_43_", StringComparison.Ordinal), 43, "lease-1"));
    }

    [Theory]
    [InlineData("cci_abc")]
    [InlineData("cjs_")]
    [InlineData("cjs_x_abc")]
    [InlineData("cjs_0_abc")]
    [InlineData("cjs_12")]
    public void Strings_that_are_not_job_secrets_name_no_job(string text) =>
        Assert.False(Tokens.TryReadJobId(text, out _));

    [Fact]
    public void Configured_tokens_must_be_long_and_not_look_like_account_tokens()
    {
        var options = new AuthOptions { AdminToken = "short", LabTokens = ["cci_" + new string('x', 20), new string('l', 20)], TokenKey = "too-short" };
        var problems = options.Check().ToList();
        Assert.Contains(problems, p => p.StartsWith("CompassCi:Auth:AdminToken", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("CompassCi:Auth:LabTokens:0", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("CompassCi:Auth:LabTokens:1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("CompassCi:Auth:TokenKey", StringComparison.Ordinal));
        Assert.Empty(new AuthOptions().Check());
    }
}
