namespace CompassCi.Api.Http;

/// <summary>
/// GET routes that change state, as compass-ci's wire protocol has them (a boot request takes a job, lkp's cgi calls
/// move stages). HEAD runs every GET route as its GET (<see cref="HeadRequests"/>); on these it must not, or a monitor's
/// HEAD would take a job nobody receives. Marked routes answer HEAD with 405.
/// </summary>
public static class ChangingGets
{
    /// <summary>Marks a GET route as changing state: HEAD on it is refused.</summary>
    public static TBuilder ChangesState<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(Marker.Instance);
    }

    /// <summary>Refuses HEAD on marked routes; after routing (it reads the chosen endpoint).</summary>
    public static IApplicationBuilder UseChangingGetGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HeadRequests.IsHead(context) && context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null)
        {
            context.Response.Headers.Allow = "GET";
            await Problems.Field("method", "HEAD is refused here: a GET on this route changes state (it takes a job or reports a stage)", StatusCodes.Status405MethodNotAllowed).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }
}
