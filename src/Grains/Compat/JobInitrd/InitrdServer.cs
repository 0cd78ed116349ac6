namespace CompassCi.Grains.Compat.JobInitrd;

/// <summary>
/// Where the testbox reaches the scheduler and the result server, as written into its job: <c>LKP_SERVER</c> and
/// <c>SCHED_HOST</c> (<paramref name="Host"/>), <c>LKP_CGI_PORT</c> and <c>SCHED_PORT</c> (<paramref name="Port"/>),
/// <c>RESULT_WEBDAV_PORT</c> (<paramref name="ResultWebdavPort"/>).
/// </summary>
public sealed record InitrdServer(string Host, int Port, int ResultWebdavPort);
