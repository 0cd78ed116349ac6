using CompassCi.Grains.Configuration;

namespace CompassCi.Api.Http;

/// <summary>Limits of the HTTP API (section <c>CompassCi:Api</c>).</summary>
public sealed class ApiOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Api";

    /// <summary>Largest request body accepted; larger ones get 413. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest body of compass-ci's <c>POST /submit_job</c>. lkp-tests' <c>sbin/submit</c> sends its own client in every job
    /// (<c>pkg_data</c>: a base64 cgz of the changes since its tag, easily several MiB), so that route needs more than
    /// <see cref="MaxBodyBytes"/>; the cgz is kept as a file, never in the job. Default 64 MiB.
    /// </summary>
    public long MaxSubmitJobBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Default long-poll wait of a consume that names none. Default 30 s.</summary>
    public int DefaultWaitSeconds { get; set; } = 30;

    /// <summary>Longest long-poll wait a consume may ask for. Default 120 s.</summary>
    public int MaxWaitSeconds { get; set; } = 120;

    /// <inheritdoc/>
    public IEnumerable<string> Check() =>
    [
        .. OptionRules.Between(Section, nameof(MaxBodyBytes), MaxBodyBytes, 1024, 1L << 30, " of bytes"),
        .. OptionRules.Between(Section, nameof(MaxSubmitJobBodyBytes), MaxSubmitJobBodyBytes, 1024, 1L << 30, " of bytes"),
        .. OptionRules.Between(Section, nameof(MaxWaitSeconds), MaxWaitSeconds, 0, 3600, " of seconds"),
        .. OptionRules.Between(Section, nameof(DefaultWaitSeconds), DefaultWaitSeconds, 0, MaxWaitSeconds, " of seconds (at most MaxWaitSeconds)"),
    ];
}
