using CompassCi.Grains.Clusters;

namespace CompassCi.Tests.Unit.Clusters;

public class ClusterSyncWordsTests
{
    [Theory]
    [InlineData("write_state", ClusterSyncOperation.WriteState)]
    [InlineData("wait_start", ClusterSyncOperation.WaitStart)]
    [InlineData("wait_ready", ClusterSyncOperation.WaitReady)]
    [InlineData("wait_finish", ClusterSyncOperation.WaitFinish)]
    [InlineData("finished", ClusterSyncOperation.Finished)]
    [InlineData("abort", ClusterSyncOperation.Abort)]
    [InlineData("failed", ClusterSyncOperation.Failed)]
    [InlineData("roles_ip", ClusterSyncOperation.RolesIp)]
    [InlineData("started", ClusterSyncOperation.Started)]
    public void EachLkpStateWordNamesItsOperation(string word, ClusterSyncOperation operation)
    {
        Assert.True(ClusterSyncWords.TryParse(word, out var parsed));
        Assert.Equal(operation, parsed);
        Assert.Contains(word, ClusterSyncWords.StateWords);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wait")]
    [InlineData("WAIT_READY")]
    [InlineData(" wait_ready")]
    [InlineData("ready")]
    [InlineData("retry")]
    public void OtherWordsAreRejected(string? word)
    {
        Assert.False(ClusterSyncWords.TryParse(word, out _));
    }

    [Theory]
    [InlineData(ClusterSyncOperation.WaitStart, BarrierTarget.Start)]
    [InlineData(ClusterSyncOperation.WaitReady, BarrierTarget.Ready)]
    [InlineData(ClusterSyncOperation.WaitFinish, BarrierTarget.Finish)]
    [InlineData(ClusterSyncOperation.Finished, BarrierTarget.Finish)]
    [InlineData(ClusterSyncOperation.Started, BarrierTarget.Start)]
    public void WaitingOperationsHaveATarget(ClusterSyncOperation operation, BarrierTarget target)
    {
        Assert.True(ClusterSyncWords.TryGetTarget(operation, out var found));
        Assert.Equal(target, found);
        Assert.False(ClusterSyncWords.Aborts(operation));
    }

    [Theory]
    [InlineData(ClusterSyncOperation.WriteState, false)]
    [InlineData(ClusterSyncOperation.RolesIp, false)]
    [InlineData(ClusterSyncOperation.Abort, true)]
    [InlineData(ClusterSyncOperation.Failed, true)]
    public void TheOthersAnswerAtOnce(ClusterSyncOperation operation, bool aborts)
    {
        Assert.False(ClusterSyncWords.TryGetTarget(operation, out _));
        Assert.Equal(aborts, ClusterSyncWords.Aborts(operation));
    }

    [Theory]
    [InlineData(BarrierOutcome.Reached, BarrierTarget.Start, "start")]
    [InlineData(BarrierOutcome.Reached, BarrierTarget.Ready, "ready")]
    [InlineData(BarrierOutcome.Reached, BarrierTarget.Finish, "finish")]
    [InlineData(BarrierOutcome.Abort, BarrierTarget.Ready, "abort")]
    [InlineData(BarrierOutcome.Waiting, BarrierTarget.Ready, "retry")]
    public void AnswersAreTheBareWordsLkpReads(BarrierOutcome outcome, BarrierTarget target, string word)
    {
        Assert.Equal(word, ClusterSyncWords.Answer(outcome, target));
    }
}
