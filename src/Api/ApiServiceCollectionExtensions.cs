using System.Text.Json;
using CompassCi.Api.Http;
using CompassCi.Grains.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CompassCi.Api;

/// <summary>Registers what the REST gateway needs: its options, problem details, OpenAPI, snake_case JSON, the 503 mapping.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>The API's options, bound from <c>CompassCi:Api</c> and checked at start.</summary>
    public static IServiceCollection AddCompassCiApiOptions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddCheckedOptions<ApiOptions>(configuration);

    public static IServiceCollection AddCompassCiApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCompassCiApiOptions(configuration);
        services.AddSingleton<Auth.CallerResolver>();
        services.AddSingleton<Compat.BootServices>();
        services.AddHostedService<Auth.AccessModeStartup>();
        services.AddExceptionHandler<ClientErrorHandler>();
        services.AddExceptionHandler<TransientFailureHandler>();
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            // A client that trickles its body or its headers holds a connection and a request slot; past these it gets
            // 408 and the slot back. Any real client sends far faster than 240 bytes/s.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return services;
    }
}
