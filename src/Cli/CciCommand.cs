using System.CommandLine;
using CompassCi.Cli.Commands;
using CompassCi.Cli.Output;

namespace CompassCi.Cli;

/// <summary>The command tree, and the one place a parse error becomes exit code 2.</summary>
internal static class CciCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("""
            cci: submit, follow and inspect CompassCi jobs.

            The server and token come from --server/--token, else CCI_SERVER/CCI_TOKEN, lkp-tests' LKP_SERVER
            (LKP_CGI_PORT) or SCHED_HOST/SCHED_PORT, else ~/.config/compass-ci/defaults/*.yaml (SCHED_HOST, SCHED_PORT,
            my_token) as lkp-tests reads them, else http://127.0.0.1:3000.
            Exit codes: 0 ok, 1 failure (the server's message on stderr), 2 usage, 3 not found.

            Examples:
              cci submit -m ebizzy.yaml
              cci jobs --account kernel-team --stage submit
              cci why 1234
            """)
        {
            GlobalOptions.Server,
            GlobalOptions.Token,
            SubmitCommand.Create(),
            JobCommands.Job(),
            JobCommands.Jobs(),
            LabCommands.Queues(),
            JobCommands.Why(),
            JobCommands.Cancel(),
            JobCommands.Renew(),
            WatchCommand.Create(),
            LabCommands.Testboxes(),
            LabCommands.Hosts(),
            LabCommands.Host(),
            LabCommands.Cluster(),
            LabCommands.Fairshare(),
        };
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Terminal.Error(error.Message);
            }

            Terminal.Error("See cci --help.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync();
    }
}
