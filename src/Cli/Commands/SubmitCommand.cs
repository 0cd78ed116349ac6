using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Cli.Output;
using CompassCi.Cli.Server;
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

    /// <summary>One file, expanded and stored by the server; the ids of its jobs.</summary>
    private static async Task<IReadOnlyList<string>> SubmitFileAsync(ServerApi api, FileInfo file, IReadOnlyList<string> overrides, string? submitId, CancellationToken cancellationToken)
    {
        var query = overrides.Concat(submitId is null ? [] : [$"submit_id={submitId}"]).Select(o => "&set=" + Uri.EscapeDataString(o));
        var text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        var answer = await api.PostYamlAsync("api/v1/jobs?expand=true" + string.Concat(query), text, cancellationToken);
        var ids = new List<string>();
        foreach (var job in (answer["jobs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = (string?)job["id"] ?? "";
            ids.Add(id);
            Terminal.Line($"{file.Name}: job {id} submitted ({Terminal.Cell(job["suite"])} on {Terminal.Cell(job["tbox_group"])})");
            foreach (var warning in job["warnings"] as JsonArray ?? [])
            {
                Terminal.Error($"{file.Name}: job {id}: warning: {Terminal.Cell(warning)}");
            }
        }

        return ids;
    }
}
