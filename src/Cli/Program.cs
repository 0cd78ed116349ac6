// cci: the command line over the scheduler's REST API. Exit codes: see ExitCodes.
using CompassCi.Cli;

return await CciCommand.InvokeAsync(args);
