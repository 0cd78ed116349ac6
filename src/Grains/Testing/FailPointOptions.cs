using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Testing;

/// <summary>
/// Fault injection for crash tests (section <c>CompassCi:FailPoints</c>): each names a moment at which the silo kills
/// itself with SIGKILL, as a power cut would, so a test can prove what survives exactly that moment. All are off by
/// default; never set them in production.
/// </summary>
public sealed class FailPointOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:FailPoints";

    /// <summary>Die after the submit with this <c>submit_id</c> is stored and before it is answered.</summary>
    public string? KillAfterSubmitStored { get; set; }

    /// <summary>Die after a job of this <c>suite</c> changed (say, ended) and before any of the effects its change recorded ran.</summary>
    public string? KillBeforeEffectsOfSuite { get; set; }

    /// <summary>
    /// Die right after the results step named after the slash is recorded done for a job of the suite before it
    /// (<c>suite/step</c>, say <c>ebizzy/regression</c>): between two steps of its pipeline.
    /// </summary>
    public string? KillAfterResultStep { get; set; }

    /// <summary>This silo's clock runs this far ahead (negative: behind) of the real time. Zero by default.</summary>
    public TimeSpan ClockOffset { get; set; }

    /// <inheritdoc/>
    public IEnumerable<string> Check() => OptionRules.Between(Section, nameof(ClockOffset), ClockOffset, TimeSpan.FromDays(-1), TimeSpan.FromDays(1));
}
