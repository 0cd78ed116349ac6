using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Effects;

/// <summary>When undelivered effects are delivered again (section <c>CompassCi:Effects</c>).</summary>
public sealed class JobEffectOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Effects";

    /// <summary>How long after its write an effect waits for its writer before the sweeper delivers it. Default 30 s.</summary>
    public TimeSpan RedriveAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two deliveries of an effect that keeps failing. Default 10 minutes.</summary>
    public TimeSpan MaxRedriveInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        foreach (var problem in OptionRules.Between(Section, nameof(RedriveAfter), RedriveAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)))
        {
            yield return problem;
        }

        foreach (var problem in OptionRules.Between(Section, nameof(MaxRedriveInterval), MaxRedriveInterval, RedriveAfter, TimeSpan.FromDays(1)))
        {
            yield return problem;
        }
    }
}
