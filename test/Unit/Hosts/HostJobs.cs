using CompassCi.Grains.Hosts;
using CompassCi.Grains.Lifecycle;

namespace CompassCi.Tests.Unit.Hosts;

/// <summary>Short ways to make the host jobs the tests need.</summary>
internal static class HostJobs
{
    public static HostJob Succeeded(long id, long start, long end) =>
        new(id, "vm-2p8g--h1-0", start, end, false, JobHealth.Success, null);

    public static HostJob Failed(long id, long start, long end) =>
        new(id, "vm-2p8g--h1-0", start, end, false, JobHealth.Failed, null);

    public static HostJob Crashed(long id, long start, long end, string cause) =>
        new(id, "vm-2p8g--h1-0", start, end, false, JobHealth.Crash, cause);

    public static HostJob SetUp(long id, long start, long end) =>
        new(id, "vm-2p8g--h1-0", start, end, true, JobHealth.Success, null);

    public static HostJob Running(long id, long start) =>
        new(id, "vm-2p8g--h1-1", start, null, false, null, null);
}
