using System.CommandLine;
using System.Globalization;
using CompassCi.Cli.Output;
using CompassCi.Cli.Server;
using CompassCi.Client;
using CompassCi.Contracts.Jobs;
using Spectre.Console;
using static CompassCi.Cli.Commands.GlobalOptions;

namespace CompassCi.Cli.Commands;

/// <summary>
/// <c>submit</c>: lkp job files, each sent whole with <c>?expand=true</c> so the server expands it as lkp's submit does
/// (matrix arrays, documents, role sections) and stores every job before answering; then, with <c>-m</c>, follows them all.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "lkp job files (YAML)", Arity = ArgumentArity.OneOrMore };
        files.AcceptExistingOnly();
        var set = new Option<string[]>("--set", "-s")
        {
            Description = "Override a key in every job: -s key=value (repeatable; nested keys as a.b=value)",
            AllowMultipleArgumentsPerToken = false,
        };
        set.Validators.Add(result =>
        {
            foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (pair.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"--set '{pair}': expected key=value");
                }
            }
        });
        var submitId = new Option<string?>("--submit-id")
        {
            Description = "Makes the submit safe to repeat: the server answers a repeat with the jobs made the first time (job n of a file gets <id>.<n>; with several files, file i uses <id>-<i>)",
        };
        var monitor = new Option<bool>("--monitor", "-m") { Description = "Follow every submitted job live until it ends; exit 1 when any ended other than success" };
        var command = new Command("submit", """
            Submits lkp job files. The server expands each file into its jobs as lkp's submit does and stores them all
            before it answers; cci prints each job's id.

            Examples:
              cci submit ebizzy.yaml
              cci submit -s testbox=vm-2p8g--h1-0 -s runtime=60 ebizzy.yaml
              cci submit --submit-id nightly-2026-12-02 jobs/*.yaml
              cci submit -m matrix.yaml      # and follow every job until it ends
            """) { files, set, submitId, monitor };
        command.SetAction((parse, ct) => RunAsync(parse, async (api, _) =>
        {
            var paths = parse.GetValue(files)!;
            var overrides = (parse.GetValue(set) ?? []).ToList();
            var id = parse.GetValue(submitId);
            var submitted = new List<string>();
            if (paths.Length > 1 && Terminal.Interactive)
            {
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask("submitting", maxValue: paths.Length);
                    for (var i = 0; i < paths.Length; i++)
                    {
                        submitted.AddRange(await SubmitFileAsync(api, paths[i], overrides, FileSubmitId(id, i, paths.Length), ct));
                        task.Increment(1);
                    }
                });
            }
            else
            {
                for (var i = 0; i < paths.Length; i++)
                {
                    submitted.AddRange(await SubmitFileAsync(api, paths[i], overrides, FileSubmitId(id, i, paths.Length), ct));
                }
            }

            if (!parse.GetValue(monitor))
            {
                return ExitCodes.Ok;
            }

            var ended = await JobFollower.FollowAsync(api, submitted, ct);
            return JobFollower.Summarize(ended, submitted.Count);
        }, ct));
        return command;
    }

    private static string? FileSubmitId(string? id, int index, int count) =>
        id is null || count == 1 ? id : $"{id}-{(index + 1).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>One file, expanded and stored by the server; the ids of its jobs. A refusal (a bad file, a quota) stops the submit.</summary>
    private static async Task<IReadOnlyList<string>> SubmitFileAsync(ServerApi api, FileInfo file, IReadOnlyList<string> overrides, string? submitId, CancellationToken cancellationToken)
    {
        var pairs = overrides.Select(o => KeyValuePair.Create(o[..o.IndexOf('=', StringComparison.Ordinal)], o[(o.IndexOf('=', StringComparison.Ordinal) + 1)..]));
        var text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        var result = await api.Sdk.SubmitJobFileAsync(text, pairs, submitId, cancellationToken);
        if (result.Status is not (SubmitStatus.Created or SubmitStatus.AlreadySubmitted))
        {
            var reasons = result.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"));
            throw new CompassCiException(0, $"{file.Name}: not submitted ({result.Status}): {string.Join("; ", reasons)}");
        }

        var again = result.Status == SubmitStatus.AlreadySubmitted ? " (already submitted with this submit_id)" : "";
        foreach (var job in result.Jobs)
        {
            Terminal.Line($"{file.Name}: job {job.Id} submitted ({job.Suite} on {job.TboxGroup}){again}");
        }

        foreach (var warning in result.Warnings.Distinct(StringComparer.Ordinal))
        {
            Terminal.Error($"{file.Name}: warning: {warning}");
        }

        return [.. result.Jobs.Select(j => j.Id)];
    }
}
