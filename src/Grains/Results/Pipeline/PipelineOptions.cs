using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>The results pipeline (section <c>CompassCi:Pipeline</c>): which plugins run after extraction, and how failures are retried.</summary>
public sealed class PipelineOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Pipeline";

    /// <summary>The post-extract plugins to run, in order, by name. Default: <c>regression</c>, then <c>notification</c> (which reports what regression found).</summary>
    public List<string> Plugins { get; set; } = ["regression", "notification"];

    /// <summary>How many attempts a step gets before it is marked failed. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before a failed step's second attempt; it doubles for each attempt after. Default 2 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts. Default 1 minute.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 after attempt <paramref name="attempt"/> failed.</summary>
    public TimeSpan DelayAfter(int attempt) =>
        TimeSpan.FromTicks(Math.Min(RetryDelay.Ticks << Math.Clamp(attempt - 1, 0, 20), MaxRetryDelay.Ticks));

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        foreach (var problem in OptionRules.Between(Section, nameof(MaxAttempts), MaxAttempts, 1, 100))
        {
            yield return problem;
        }

        foreach (var problem in OptionRules.Between(Section, nameof(RetryDelay), RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)))
        {
            yield return problem;
        }

        foreach (var problem in OptionRules.Between(Section, nameof(MaxRetryDelay), MaxRetryDelay, RetryDelay, TimeSpan.FromHours(6)))
        {
            yield return problem;
        }

        for (var i = 0; i < Plugins.Count; i++)
        {
            var name = Plugins[i];
            if (string.IsNullOrWhiteSpace(name) || name == ExtractStep.Name)
            {
                yield return $"{Section}:{nameof(Plugins)}:{i}: '{name}' is not a plugin name";
            }
            else if (Plugins.IndexOf(name) != i)
            {
                yield return $"{Section}:{nameof(Plugins)}:{i}: '{name}' is listed twice";
            }
        }
    }
}
