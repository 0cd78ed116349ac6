namespace CompassCi.Cli.Config;

/// <summary>
/// Picks the server and token, first found wins: the <c>--server</c>/<c>--token</c> flags; the environment
/// (<c>CCI_SERVER</c>/<c>CCI_TOKEN</c>, then lkp-tests' <c>LKP_SERVER</c> with <c>LKP_CGI_PORT</c>, then
/// <c>SCHED_HOST</c> with <c>SCHED_PORT</c>); lkp-tests' defaults files (<c>SCHED_HOST</c>, <c>SCHED_PORT</c>,
/// <c>my_token</c>); else <c>http://127.0.0.1:3000</c>, where the README's run command listens. Pure: the caller reads
/// the environment and the files.
/// </summary>
internal static class ServerSettingsResolver
{
    /// <summary>lkp-tests' port for the scheduler and its cgi calls when none is given (compass-ci's SCHED_PORT).</summary>
    public const int DefaultPort = 3000;

    public static ServerSettings Resolve(
        string? serverFlag,
        string? tokenFlag,
        Func<string, string?> environment,
        IReadOnlyDictionary<string, string> defaults)
    {
        var (server, source) = PickServer(serverFlag, environment, defaults);
        var token = First(tokenFlag, environment("CCI_TOKEN"), defaults.GetValueOrDefault("my_token"));
        var account = First(environment("CCI_ACCOUNT"), defaults.GetValueOrDefault("my_account"));
        return new ServerSettings(server, token, account, source);
    }

    private static (Uri Server, string Source) PickServer(string? flag, Func<string, string?> environment, IReadOnlyDictionary<string, string> defaults)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return (Address(flag, null, "--server"), "--server");
        }

        if (environment("CCI_SERVER") is { Length: > 0 } cci)
        {
            return (Address(cci, null, "CCI_SERVER"), "CCI_SERVER");
        }

        if (environment("LKP_SERVER") is { Length: > 0 } lkp)
        {
            return (Address(lkp, environment("LKP_CGI_PORT"), "LKP_SERVER"), "LKP_SERVER");
        }

        if (environment("SCHED_HOST") is { Length: > 0 } host)
        {
            return (Address(host, environment("SCHED_PORT"), "SCHED_HOST"), "SCHED_HOST");
        }

        if (defaults.GetValueOrDefault("SCHED_HOST") is { Length: > 0 } fileHost)
        {
            return (Address(fileHost, defaults.GetValueOrDefault("SCHED_PORT"), "SCHED_HOST"), "~/.config/compass-ci/defaults");
        }

        return (new Uri($"http://127.0.0.1:{DefaultPort}/"), "default");
    }

    /// <summary>
    /// A base address from a URL (<c>http://h:p</c>) or, as lkp-tests' variables hold, a bare host with its port apart.
    /// </summary>
    internal static Uri Address(string value, string? port, string name)
    {
        value = value.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new SettingsException($"{name}: '{value}' is not an http(s) address");
            }

            return url;
        }

        var portNumber = DefaultPort;
        if (!string.IsNullOrWhiteSpace(port) && (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw new SettingsException($"{name}: port '{port}' is not a port number");
        }

        var hostAndPort = value.Contains(':', StringComparison.Ordinal) && !value.StartsWith('[') ? value : $"{value}:{portNumber}";
        return Uri.TryCreate($"http://{hostAndPort}/", UriKind.Absolute, out var address)
            ? address
            : throw new SettingsException($"{name}: '{value}' is not a host name");
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}

/// <summary>A server address or token setting that cannot be used; a usage error (exit 2).</summary>
internal sealed class SettingsException : Exception
{
    public SettingsException()
    {
    }

    public SettingsException(string message)
        : base(message)
    {
    }

    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
