using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Results.Notifications;

/// <summary>
/// Where the notification plugin sends job summaries (section <c>CompassCi:Webhooks</c>). Each is an http(s)
/// URL; an audience without one is not told (and that is recorded). Until accounts land, the owners' hooks are here.
/// </summary>
public sealed class WebhookOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Webhooks";

    /// <summary>Each account's hook, by <c>my_account</c>: its jobs' summaries, and crashes blamed on the task (<c>notify: task</c>).</summary>
    public Dictionary<string, string> Accounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The lab's hook: crashes blamed on the lab's machines or network (<c>notify: lab</c>).</summary>
    public string? Lab { get; set; }

    /// <summary>The operators' hook: crashes blamed on the scheduler, and crashes nobody classified.</summary>
    public string? Operators { get; set; }

    /// <summary>The public base of result URLs in summaries (say <c>http://results.lab:3080</c>); the result_root is appended. None by default.</summary>
    public string? ResultsBaseUrl { get; set; }

    /// <summary>How long one delivery may take. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        foreach (var (account, url) in Accounts)
        {
            if (!IsHttpUrl(url))
            {
                yield return $"{Section}:{nameof(Accounts)}:{account}: '{url}' is not an absolute http or https URL";
            }
        }

        foreach (var (name, url) in new[] { (nameof(Lab), Lab), (nameof(Operators), Operators), (nameof(ResultsBaseUrl), ResultsBaseUrl) })
        {
            if (!string.IsNullOrEmpty(url) && !IsHttpUrl(url))
            {
                yield return $"{Section}:{name}: '{url}' is not an absolute http or https URL";
            }
        }

        foreach (var problem in OptionRules.Between(Section, nameof(Timeout), Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)))
        {
            yield return problem;
        }
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
