using CompassCi.Client.Cluster;

namespace CompassCi.Tests.Unit.Client;

public sealed class SubmitIdempotencyTests
{
    [Theory]
    [InlineData("""{"suite": "ebizzy", "submit_id": "ci-7"}""")]
    [InlineData("""  {"submit_id": "x"}""")]
    [InlineData("suite: ebizzy\nsubmit_id: ci-7\n")]
    [InlineData("submit_id:\t'quoted'\nsuite: ebizzy\n")]
    public void A_job_with_a_submit_id_may_be_sent_again(string body) =>
        Assert.True(SubmitIdempotency.HasSubmitId(new JobSubmission(body)));

    [Theory]
    [InlineData("""{"suite": "ebizzy"}""")]
    [InlineData("""{"suite": "ebizzy", "submit_id": ""}""")]
    [InlineData("""{"suite": "ebizzy", "submit_id": 7}""")]
    [InlineData("""{"params": {"submit_id": "nested"}}""")]
    [InlineData("""{"submit_id": "broken" """)]
    [InlineData("suite: ebizzy\n")]
    [InlineData("suite: ebizzy\nsubmit_id:\n")]
    [InlineData("suite: ebizzy\nsubmit_id: # later\n")]
    [InlineData("params:\n  submit_id: nested\n")]
    [InlineData("")]
    public void A_job_without_one_is_never_sent_twice(string body) =>
        Assert.False(SubmitIdempotency.HasSubmitId(new JobSubmission(body)));
}
