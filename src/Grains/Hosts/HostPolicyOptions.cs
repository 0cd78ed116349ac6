using System.Text.Json;
using System.Text.Json.Nodes;
using CompassCi.Grains.Configuration;

namespace CompassCi.Grains.Hosts;

/// <summary>Host blame and quarantine (section <c>CompassCi:Hosts</c>).</summary>
public sealed class HostPolicyOptions : ICheckedOptions
{
    /// <inheritdoc/>
    public static string Section => "CompassCi:Hosts";

    /// <summary>Consecutive jobs on a host that must crash with cause <c>testbox</c> before it is quarantined. Default 2.</summary>
    public int ConsecutiveCrashes { get; set; } = 2;

    /// <summary>
    /// Health-check jobs by tbox_group, each a job document as JSON (with <c>suite</c> and <c>my_account</c>). When a
    /// host is quarantined, the one for the failing testbox's group is submitted to run on that testbox; when it
    /// succeeds, the host is released.
    /// </summary>
    public Dictionary<string, string> HealthCheckJobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far back "seen recently" reaches when explaining why a job waits. Default 24 h.</summary>
    public TimeSpan SeenWindow { get; set; } = TimeSpan.FromHours(24);

    /// <inheritdoc/>
    public IEnumerable<string> Check()
    {
        foreach (var problem in OptionRules.Between(Section, nameof(ConsecutiveCrashes), ConsecutiveCrashes, 1, 100))
        {
            yield return problem;
        }

        foreach (var problem in OptionRules.Between(Section, nameof(SeenWindow), SeenWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)))
        {
            yield return problem;
        }

        foreach (var (group, job) in HealthCheckJobs)
        {
            if (!IsJobObject(job))
            {
                yield return $"{Section}:{nameof(HealthCheckJobs)}:{group} must be a job as a JSON object with \"suite\" and \"my_account\" strings";
            }
        }
    }

    private static bool IsJobObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject job
                && job["suite"]?.GetValueKind() == JsonValueKind.String
                && job["my_account"]?.GetValueKind() == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
