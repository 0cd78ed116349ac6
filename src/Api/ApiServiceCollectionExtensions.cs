using System.Text.Json;
using CompassCi.Api.Http;
using CompassCi.Grains.Configuration;
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
        services.AddExceptionHandler<TransientFailureHandler>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return services;
    }
}
