using System.Net;
using System.Net.Http;

namespace CompassCi.LoadGenerator;

/// <summary>Waits for GET /readyz to answer 200, so the first submits do not measure a server still starting.</summary>
public static class ReadinessProbe
{
    public static async Task<bool> WaitAsync(HttpClient client, Uri baseUrl, TimeSpan patience, CancellationToken deadline)
    {
        var url = new Uri(baseUrl, "readyz");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        limit.CancelAfter(patience);
        try
        {
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(url, limit.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return true;
                    }
                }
                catch (Exception e) when (RequestFailure.IsTransport(e, limit.Token))
                {
                    // Not listening yet: keep polling until patience runs out.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return false;
        }
    }
}
