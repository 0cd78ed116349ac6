using System.Net;

namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>One node of a cluster talking lkp-cluster-sync the way lkp-tests' job.sh does: plain GETs, plain-text answers.</summary>
public sealed class LkpSync(HttpClient http, string jobId, string cluster, string node)
{
    /// <summary>job.sh keeps write_state's parameters in a global and sends them again with every later call.</summary>
    private (string Key, string Value)[] _otherOptions = [];

    public string JobId => jobId;

    /// <summary>Sends <paramref name="state"/> with extra parameters; answers the body without its trailing newline. Fails the test on anything but 200.</summary>
    public async Task<string> SyncAsync(string state, params (string Key, string Value)[] extra)
    {
        var query = $"job_id={jobId}&cluster={Uri.EscapeDataString(cluster)}&node={Uri.EscapeDataString(node)}&state={state}" +
                    string.Concat((extra.Length > 0 ? extra : _otherOptions).Select(e => $"&{e.Key}={Uri.EscapeDataString(e.Value)}"));
        using var response = await http.GetAsync($"/~lkp/cgi-bin/lkp-cluster-sync?{query}");
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? body.TrimEnd('\n')
            : throw new HttpRequestException($"lkp-cluster-sync {state} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
    }

    /// <summary>lkp's write_state, roles '+'-joined as job.sh sends them.</summary>
    public Task<string> WriteStateAsync(string roles, string ip)
    {
        _otherOptions = [("node_roles", roles.Replace(' ', '+')), ("ip", ip), ("direct_macs", ""), ("direct_ips", "")];
        return SyncAsync("write_state", _otherOptions);
    }
}
