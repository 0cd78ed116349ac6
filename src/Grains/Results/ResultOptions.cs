using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Results;

/// <summary>
/// Where uploaded results go and what an upload may be (section <c>CompassCi:Results</c>, environment
/// <c>CompassCi__Results__…</c>).
/// </summary>
public sealed class ResultOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Results";

    /// <summary>
    /// The results folder: a job's files are at <c>&lt;Root&gt;&lt;result_root&gt;/…</c>. Empty (the default):
    /// <c>results</c> under <c>CompassCi:DataDirectory</c>. Several silos must share it (a shared volume).
    /// </summary>
    public string Root { get; set; } = "";

    /// <summary>
    /// The extra address the WebDAV upload server listens on, as lkp-tests expects it (<c>RESULT_WEBDAV_PORT</c>,
    /// 3080 by default). Default http://127.0.0.1:3080. Empty: no extra address; uploads still work under the main one.
    /// </summary>
    public string WebDavUrl { get; set; } = "http://127.0.0.1:3080";

    /// <summary>How long after its finish a job may still upload (its testbox uploads while it reports the end). Default 5 minutes.</summary>
    public TimeSpan UploadGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest file one PUT may write. Default 4 GiB.</summary>
    public long MaxFileBytes { get; set; } = 4L << 30;

    /// <summary>Most bytes all of a job's files may take together. Default 16 GiB.</summary>
    public long MaxJobBytes { get; set; } = 16L << 30;

    /// <summary>The results folder for <see cref="Root"/> and the silo's data directory.</summary>
    public string RootOrDefault(string dataDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Root) ? Path.Combine(dataDirectory, "results") : Root);

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        IEnumerable<string> problems =
        [
            .. OptionRules.Between(Section, nameof(UploadGrace), UploadGrace, TimeSpan.Zero, TimeSpan.FromDays(1)),
            .. OptionRules.Between(Section, nameof(MaxFileBytes), MaxFileBytes, 1, long.MaxValue / 2, " of bytes"),
            .. OptionRules.Between(Section, nameof(MaxJobBytes), MaxJobBytes, 1, long.MaxValue / 2, " of bytes"),
        ];
        foreach (var problem in problems)
        {
            yield return problem;
        }

        if (!string.IsNullOrEmpty(WebDavUrl) && (!Uri.TryCreate(WebDavUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return $"{Section}:{nameof(WebDavUrl)} is '{WebDavUrl}'; it must be an absolute http:// or https:// address, like http://127.0.0.1:3080, or empty for none";
        }
    }
}
