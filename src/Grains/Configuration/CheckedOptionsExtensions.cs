using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Configuration;

/// <summary>Registers options classes the one way: bound from their section, checked at start.</summary>
public static class CheckedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <see cref="ICheckedOptions.Section"/> and checks it when the host starts.
    /// With <paramref name="refuseUnknownKeys"/>, a key in the section that names no setting (a typo) is an error too.
    /// </summary>
    public static IServiceCollection AddCheckedOptions<T>(this IServiceCollection services, IConfiguration configuration, bool refuseUnknownKeys = true)
        where T : class, ICheckedOptions
    {
        services.AddOptions<T>()
            .Bind(configuration.GetSection(T.Section), binder => binder.ErrorOnUnknownConfiguration = refuseUnknownKeys)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, CheckedOptionsValidator<T>>());
        return services;
    }
}
