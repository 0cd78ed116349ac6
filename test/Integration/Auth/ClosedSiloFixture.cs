using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Auth;

/// <summary>One silo with an admin, an operator and a lab token configured: closed from its start.</summary>
public sealed class ClosedSiloFixture(MariaDbFixture database) : SiloFixture(database), IAsyncLifetime
{
    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    public string OperatorToken { get; } = "operator-" + Guid.NewGuid().ToString("N");

    public string LabToken { get; } = "lab-" + Guid.NewGuid().ToString("N");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Auth__AdminToken"] = AdminToken,
        ["CompassCi__Auth__OperatorTokens__0"] = OperatorToken,
        ["CompassCi__Auth__LabTokens__0"] = LabToken,
        ["CompassCi__Results__Root"] = ResultsRoot,
    };

    /// <summary>Where uploads go (removed with the fixture).</summary>
    public string ResultsRoot { get; } = Path.Combine(Path.GetTempPath(), "cci-auth-" + Guid.NewGuid().ToString("N")[..8]);

    // Re-implements IAsyncLifetime's DisposeAsync (the base's is not virtual) to remove the uploads too.
    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(ResultsRoot))
        {
            Directory.Delete(ResultsRoot, recursive: true);
        }
    }
}
