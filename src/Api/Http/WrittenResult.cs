namespace CompassCi.Api.Http;

/// <summary>A result that writes its response itself (status, headers, body), for answers written without a tree of nodes.</summary>
public sealed class WrittenResult(Func<HttpContext, Task> write) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => write(httpContext);
}
