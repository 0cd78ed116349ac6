namespace CompassCi.Client.Http;

/// <summary>
/// Reads each answer's body whole inside the resilience pipeline, so that a connection cut in the middle of a body is
/// an attempt that failed (and is retried when safe) instead of an error after the retries are done, which is where
/// HttpClient would read it. A watch's stream (<see cref="RequestMarks.Streamed"/>) is left to be read as it comes.
/// </summary>
internal sealed class BufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!RequestMarks.IsStreamed(request))
        {
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        return response;
    }
}
