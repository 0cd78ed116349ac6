using System.CommandLine;
using CompassCi.Cli.Config;
using CompassCi.Cli.Output;
using CompassCi.Cli.Server;
using CompassCi.Client;

namespace CompassCi.Cli.Commands;

/// <summary>The options every command takes (<c>--server</c>, <c>--token</c>), and the one way each command runs: settings resolved, errors to exit codes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Server = new("--server")
    {
        Description = "The scheduler's address (http://host:port); else CCI_SERVER, LKP_SERVER, SCHED_HOST/SCHED_PORT, ~/.config/compass-ci/defaults/*.yaml, http://127.0.0.1:3000",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The account's token (my_token); else CCI_TOKEN, or my_token in lkp-tests' defaults files",
        Recursive = true,
    };

    /// <summary>
    /// Runs a command's body with a <see cref="ServerApi"/> for the resolved server, and turns failures into exit
    /// codes with the message on stderr: a 404 is 3, any other refusal or an unreachable server 1, a bad setting 2.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<ServerApi, ServerSettings, Task<int>> body, CancellationToken cancellationToken)
    {
        ServerSettings settings;
        try
        {
            settings = ServerSettingsResolver.Resolve(
                parse.GetValue(Server), parse.GetValue(Token), Environment.GetEnvironmentVariable, LkpDefaults.Load(Environment.GetEnvironmentVariable("HOME")));
        }
        catch (SettingsException error)
        {
            Terminal.Error(error.Message);
            return ExitCodes.Usage;
        }

        await using var api = new ServerApi(settings);
        try
        {
            return await body(api, settings);
        }
        catch (CompassCiException error) when (error.IsNotFound)
        {
            Terminal.Error(error.Message);
            return ExitCodes.NotFound;
        }
        catch (CompassCiException error)
        {
            Terminal.Error(error.Status == 0 ? error.Message : $"{error.Status}: {error.Message}");
            return ExitCodes.Failure;
        }
        catch (HttpRequestException error)
        {
            Terminal.Error($"cannot reach {settings.Server} (from {settings.ServerSource}): {error.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl-C ends a watch: that is how it is meant to stop
        }
    }

    /// <summary>A path segment, escaped.</summary>
    public static string Seg(string value) => Uri.EscapeDataString(value);
}
