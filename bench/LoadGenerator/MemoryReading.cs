namespace CompassCi.LoadGenerator;

/// <summary>One look at the server's memory; all bytes.</summary>
/// <param name="RssBytes">VmRSS of the silo process: resident memory now.</param>
/// <param name="HwmBytes">VmHWM of the silo process: the highest VmRSS it has had so far.</param>
/// <param name="TreeRssBytes">VmRSS of the silo plus every descendant (the MariaDB it provisions), since the baseline's
/// etcd figure is the store's memory too.</param>
/// <param name="TreeProcesses">How many processes <paramref name="TreeRssBytes"/> covers.</param>
public sealed record MemoryReading(long RssBytes, long HwmBytes, long TreeRssBytes, int TreeProcesses);
