using System.Text.Json.Nodes;

namespace CompassCi.Grains.Compat.Boot;

/// <summary>A job being handed to a box that booted through compass-ci's routes: what its boot answer is made of.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Document">The job's stored document.</param>
/// <param name="ResultRoot">Where its results go.</param>
/// <param name="JobCgzPath">The path of its <c>job.cgz</c> on the scheduler, with the per-job token segment.</param>
public sealed record BootJob(long Id, JsonObject Document, string? ResultRoot, string JobCgzPath);

/// <summary>
/// The addresses a boot answer points at: the scheduler as the box reaches it, and the OS and initrd servers
/// (compass-ci's <c>OS_HTTP_PREFIX</c>, <c>INITRD_HTTP_PREFIX</c>), already without a trailing slash.
/// </summary>
public sealed record BootAddresses(string SchedHost, int SchedPort, string OsPrefix, string InitrdPrefix, int ResultWebdavPort)
{
    /// <summary><c>http://host:port</c> of the scheduler.</summary>
    public string SchedUrl => $"http://{SchedHost}:{SchedPort}";
}
