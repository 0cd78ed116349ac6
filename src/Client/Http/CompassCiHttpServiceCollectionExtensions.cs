using CompassCi.Client.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTTP transport of <see cref="CompassCi.Client.ICompassCiClient"/>.</summary>
public static class CompassCiHttpServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the factory builds for the SDK.</summary>
    public const string HttpClientName = "CompassCi";

    /// <summary>
    /// Registers <see cref="CompassCiHttpClient"/> (and <see cref="CompassCi.Client.ICompassCiClient"/>) over an
    /// <see cref="IHttpClientFactory"/> client whose resilience handler runs <see cref="HttpResilience"/>. The builder
    /// returned takes further handlers; added ones sit inside the resilience handler, so they see every attempt.
    /// </summary>
    public static IHttpClientBuilder AddCompassCiHttpClient(this IServiceCollection services, Action<CompassCiHttpOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<CompassCiHttpOptions>().Configure(configure);
        services.AddTransient(provider => new CompassCiHttpClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptions<CompassCiHttpOptions>>().Value));
        services.AddTransient<CompassCi.Client.ICompassCiClient>(provider => provider.GetRequiredService<CompassCiHttpClient>());
        var builder = services.AddHttpClient(HttpClientName);
        builder.AddResilienceHandler("CompassCi", (pipeline, context) =>
            HttpResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<CompassCiHttpOptions>>().Value));
        builder.AddHttpMessageHandler(() => new BufferingHandler());
        return builder;
    }
}
