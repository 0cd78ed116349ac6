using CompassCi.Grains.Accounts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Api.Auth;

/// <summary>
/// At start: a configured admin token ends open mode for good; the token key is read (or generated) once; and a silo
/// still in open mode says so loudly.
/// </summary>
public sealed class AccessModeStartup(AccessMode mode, TokenKey tokenKey, IOptions<AuthOptions> options, ILogger<AccessModeStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.Value.AdminToken))
        {
            await mode.CloseAsync();
        }

        await tokenKey.GetAsync();
        if (await mode.IsClosedAsync())
        {
            logger.LogInformation("Access: {Mode}", AccessWords.Closed);
        }
        else
        {
            logger.LogWarning("OPEN MODE. Access: {Mode}", AccessWords.Open);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
