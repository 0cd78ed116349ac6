using CompassCi.Grains.Dispatch;

namespace CompassCi.Api.Testboxes;

/// <summary>
/// Writes a handed-over job with <paramref name="write"/>; if the client is gone before or while it is written, runs the
/// give-back instead of losing the job.
/// </summary>
public sealed class HandOverResult(HandOver handOver, Func<HttpContext, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            await handOver.GiveBack();
            return;
        }

        try
        {
            await write(httpContext);
            await httpContext.Response.CompleteAsync();
        }
        catch (Exception) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            await handOver.GiveBack();
        }
    }
}
