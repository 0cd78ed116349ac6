using CompassCi.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CompassCi.Grains.Accounts;

/// <summary>Registers accounts and access: the store, the token key, the open/closed mode, the account administration.</summary>
public static class AccountServiceCollectionExtensions
{
    public static IServiceCollection AddCompassCiAccounts(this IServiceCollection services)
    {
        services.AddSingleton<AccountStore>();
        services.AddSingleton<TokenKey>();
        services.AddSingleton<AccessMode>();
        services.AddSingleton<AccountAdmin>();
        services.AddSingleton<IAccountChangeListener, FairShare.FairShareAccountListener>();
        services.AddSingleton<AccountLimits>();
        services.AddSingleton<IAccountChangeListener>(sp => sp.GetRequiredService<AccountLimits>());
        return services;
    }
}
