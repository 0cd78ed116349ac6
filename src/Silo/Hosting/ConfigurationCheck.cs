using CompassCi.Api;
using CompassCi.Grains;
using CompassCi.Grains.Configuration;
using Microsoft.Extensions.Options;

namespace CompassCi.Silo.Hosting;

/// <summary>
/// Checks every CompassCi setting before anything starts (the private database takes seconds to start; a typo should
/// not). The same registrations the silo uses, so the check and the silo cannot disagree.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>The exit code of a silo stopped by a bad setting (sysexits' EX_CONFIG).</summary>
    public const int BadConfigurationExitCode = 78;

    /// <summary>Every problem with the configuration, each naming its key; empty when it is all right.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var services = new ServiceCollection()
            .AddCompassCiGrainOptions(configuration)
            .AddCompassCiApiOptions(configuration)
            .AddCheckedOptions<CompassCiOptions>(configuration, refuseUnknownKeys: false);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (Exception error) when (error is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            return [.. Messages(error)];
        }
    }

    private static IEnumerable<string> Messages(Exception error) => error switch
    {
        AggregateException many => many.InnerExceptions.SelectMany(Messages),
        OptionsValidationException invalid => invalid.Failures,
        // The binder's own errors ("Failed to convert configuration value at 'CompassCi:Lifecycle:LeaseSeconds' to type
        // 'System.Int32'", "'Lease' was not found on …") already name the key.
        _ => [error.InnerException is { } inner ? $"{error.Message} {inner.Message}" : error.Message],
    };
}
