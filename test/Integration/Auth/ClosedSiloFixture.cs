using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>One silo with an admin, an operator and a lab token configured: closed from its start.</summary>
public sealed class ClosedSiloFixture(MariaDbFixture database) : SiloFixture(database)
{
    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    public string OperatorToken { get; } = "operator-" + Guid.NewGuid().ToString("N");

    public string LabToken { get; } = "lab-" + Guid.NewGuid().ToString("N");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Auth__AdminToken"] = AdminToken,
        ["CompassCi__Auth__OperatorTokens__0"] = OperatorToken,
        ["CompassCi__Auth__LabTokens__0"] = LabToken,
    };
}
