using CompassCi.Tests.Integration.Api;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Compat;

/// <summary>One open silo whose results folder (where submitted lkp-tests packages are kept) the tests can look into.</summary>
public sealed class CompatSiloFixture(MariaDbFixture database) : SiloFixture(database), IAsyncLifetime
{
    /// <summary>The results folder (removed with the fixture).</summary>
    public string ResultsRoot { get; } = Path.Combine(Path.GetTempPath(), "cci-compat-" + Guid.NewGuid().ToString("N")[..8]);

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["CompassCi__Results__Root"] = ResultsRoot,
    };

    // Re-implements IAsyncLifetime's DisposeAsync (the base's is not virtual) to remove the results folder too.
    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(ResultsRoot))
        {
            Directory.Delete(ResultsRoot, recursive: true);
        }
    }
}
