using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
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
        ListCommandsBySummary(root);
        return root;
    }

    /// <summary>
    /// In <c>cci --help</c> each command is listed by the first paragraph of its description; its examples show in
    /// <c>cci &lt;command&gt; --help</c>, which prints the whole description.
    /// </summary>
    private static void ListCommandsBySummary(RootCommand root)
    {
        if (root.Options.OfType<HelpOption>().FirstOrDefault() is { Action: HelpAction standard } option)
        {
            option.Action = new SummaryHelpAction(standard);
        }
    }

    /// <summary>The standard help, with each listed subcommand's description cut to its first paragraph while it is written.</summary>
    private sealed class SummaryHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var listed = parseResult.CommandResult.Command.Subcommands.ToList();
            var full = listed.Select(c => c.Description).ToList();
            try
            {
                foreach (var command in listed)
                {
                    command.Description = (command.Description ?? "").Split("\n\n", 2)[0].ReplaceLineEndings(" ");
                }

                return standard.Invoke(parseResult);
            }
            finally
            {
                for (var i = 0; i < listed.Count; i++)
                {
                    listed[i].Description = full[i];
                }
            }
        }
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        // --help wins over a missing argument (cci host --help), as the standard parser has it.
        if (parse.Errors.Count > 0 && parse.Action is not (SummaryHelpAction or HelpAction))
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
