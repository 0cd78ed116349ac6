using System.CommandLine;
using CompassCi.Contracts.Watch;
using static CompassCi.Cli.Commands.GlobalOptions;

namespace CompassCi.Cli.Commands;

/// <summary><c>watch</c>: one job's changes live until it ends, or many jobs' (by account, suite, group, testbox) until Ctrl-C.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "One job to follow until it ends", Arity = ArgumentArity.ZeroOrOne };
        var account = new Option<string?>("--account") { Description = "Every job of this account (my_account)" };
        var suite = new Option<string?>("--suite") { Description = "Every job of this suite" };
        var group = new Option<string?>("--tbox-group") { Description = "Every job of this testbox group" };
        var testbox = new Option<string?>("--testbox") { Description = "Every job on this testbox" };
        var command = new Command("watch", """
            Prints each change of a job as it happens (stage, health, results pipeline), until it ends: exit 0 when it
            ended in success, 1 otherwise. With filters instead of an id, every matching job's changes from now on,
            until Ctrl-C.

            Examples:
              cci watch 1234
              cci watch --account kernel-team
              cci watch --tbox-group vm-2p8g --suite ebizzy
            """) { id, account, suite, group, testbox };
        command.Validators.Add(result =>
        {
            var filters = new Option[] { account, suite, group, testbox }.Count(o => result.GetResult(o) is not null);
            if (result.GetValue(id) is not null && filters > 0)
            {
                result.AddError("give a job id or filters (--account, --suite, --tbox-group, --testbox), not both");
            }
        });
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            if (parse.GetValue(id) is { } jobId)
            {
                var ended = await JobFollower.FollowAsync(api, [jobId], ct);
                return JobFollower.Summarize(ended, 1);
            }

            var filter = new WatchFilter
            {
                MyAccount = parse.GetValue(account), Suite = parse.GetValue(suite), TboxGroup = parse.GetValue(group), Testbox = parse.GetValue(testbox),
            };
            await foreach (var change in api.Sdk.WatchAsync(filter, cancellationToken: ct))
            {
                JobFollower.Print(change);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
