using CompassCi.Grains.Queues;

namespace CompassCi.Tests.Unit.FairShare;

/// <summary>Fixed ranks and caps, to test the order on its own.</summary>
internal sealed class FakeRanks(bool enabled, Dictionary<string, double> ranks, params string[] atCap) : IAccountRanks
{
    public bool Enabled => enabled;

    public double Rank(string account) => ranks.GetValueOrDefault(account);

    public bool AtCap(string account) => atCap.Contains(account);
}
