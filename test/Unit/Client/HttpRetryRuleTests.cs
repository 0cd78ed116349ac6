using System.Net.Http.Headers;
using CompassCi.Client.Http;
using Polly.Timeout;

namespace CompassCi.Tests.Unit.Client;

/// <summary>When the HTTP SDK tries again, and how long it waits first.</summary>
public sealed class HttpRetryRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    [InlineData(408)]
    public void Transient_statuses_are_retried_when_the_request_is_idempotent(int status)
    {
        Assert.True(RetryRule.IsTransient(idempotent: true, status, null));
        Assert.False(RetryRule.IsTransient(idempotent: false, status, null));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(413)]
    [InlineData(501)]
    public void Answers_and_the_callers_mistakes_are_never_retried(int status) =>
        Assert.False(RetryRule.IsTransient(idempotent: true, status, null));

    [Fact]
    public void Network_failures_and_attempt_timeouts_are_retried_only_when_idempotent()
    {
        Assert.True(RetryRule.IsTransient(true, null, new HttpRequestException("Connection refused")));
        Assert.True(RetryRule.IsTransient(true, null, new TimeoutRejectedException()));
        Assert.True(RetryRule.IsTransient(true, null, new IOException("reset")));
        Assert.False(RetryRule.IsTransient(false, null, new HttpRequestException("Connection refused")));
        Assert.False(RetryRule.IsTransient(true, null, new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Retry_after_seconds_is_the_delay_whatever_the_attempt()
    {
        var header = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), RetryRule.Delay(0, header, Now, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.3));
        Assert.Equal(TimeSpan.FromSeconds(7), RetryRule.Delay(9, header, Now, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.9));
    }

    [Fact]
    public void Retry_after_date_is_the_time_until_it_and_a_past_date_is_no_wait()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RetryRule.Delay(0, new RetryConditionHeaderValue(Now.AddSeconds(90)), Now, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.5));
        Assert.Equal(TimeSpan.Zero, RetryRule.Delay(0, new RetryConditionHeaderValue(Now.AddSeconds(-5)), Now, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.5));
    }

    [Theory]
    [InlineData(0, 0.0, 100)]
    [InlineData(0, 1.0, 200)]
    [InlineData(1, 1.0, 400)]
    [InlineData(3, 0.5, 1200)]
    [InlineData(10, 1.0, 5000)]
    [InlineData(10, 0.0, 2500)]
    public void Without_retry_after_the_backoff_doubles_up_to_the_cap_jittered_in_its_upper_half(int attempt, double jitter, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryRule.Delay(attempt, null, Now, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), jitter));

    [Fact]
    public void A_retry_that_would_start_after_the_budget_is_not_made()
    {
        Assert.True(RetryRule.FitsBudget(TimeSpan.FromSeconds(1), Now, Now.AddSeconds(2)));
        Assert.False(RetryRule.FitsBudget(TimeSpan.FromSeconds(3), Now, Now.AddSeconds(2)));
        Assert.True(RetryRule.FitsBudget(TimeSpan.FromHours(1), Now, null));
    }
}
