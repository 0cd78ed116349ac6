using System.Text.Json.Nodes;
using CompassCi.Api.Testboxes;
using CompassCi.Grains.Accounts;
using CompassCi.Grains.Compat;
using CompassCi.Grains.Compat.Boot;
using CompassCi.Grains.Compat.JobInitrd;
using CompassCi.Grains.Dispatch;
using CompassCi.Grains.Results;
using CompassCi.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Compat;

/// <summary>What the boot routes need, in one parameter: the consume, the host registry, options and addresses.</summary>
public sealed class BootServices(TestboxConsumer consumer, CompatHostStore hosts, IOptions<CompatOptions> options, IOptions<ResultOptions> results, TokenKey tokenKey, IHostApplicationLifetime lifetime)
{
    public TestboxConsumer Consumer => consumer;

    public CompatHostStore Hosts => hosts;

    public CompatOptions Options => options.Value;

    public IHostApplicationLifetime Lifetime => lifetime;

    /// <summary>The scheduler and file servers as the box that sent <paramref name="request"/> reaches them.</summary>
    public BootAddresses Addresses(HttpRequest request)
    {
        var sched = SchedulerAddress.Of(request, options.Value);
        return new BootAddresses(sched.Host, sched.Port, sched.Expand(options.Value.OsHttpPrefix), sched.Expand(options.Value.InitrdHttpPrefix), ResultWebdavPort);
    }

    /// <summary>The WebDAV port written into job answers: configured, else the port of the result server's URL, else 3080.</summary>
    public int ResultWebdavPort => options.Value.WebdavPortFor(results.Value.WebDavUrl);

    /// <summary>The handed-over job as its boot answer needs it, with its <c>job.cgz</c> path under the job's own token.</summary>
    public async Task<BootJob> BootJobAsync(HandOver handOver)
    {
        var job = handOver.Job;
        var document = JsonNode.Parse(job.Document) as JsonObject ?? [];
        return new BootJob(job.Id, document, job.ResultRoot ?? document["result_root"]?.GetValue<string>(), JobInitrdToken.Path(await tokenKey.GetAsync(), job.Id, handOver.LeaseId));
    }
}
