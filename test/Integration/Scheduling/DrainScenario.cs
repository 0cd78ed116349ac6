using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Scheduling;

/// <summary>
/// The drain workload of the core "done when" points: jobs over 8 tag shapes with varied memory needs,
/// and 64 testboxes with mixed offers, some of which can serve several shapes and some only one.
/// </summary>
public static class DrainScenario
{
    /// <summary>One tag shape: the requirement fields of its jobs and the memory sizes they ask for.</summary>
    public sealed record Shape(JsonObject Fields, string[] Memory);

    /// <summary>One testbox: name, offered tags (as the test sends them) and memory.</summary>
    public sealed record Testbox(string Name, Dictionary<string, string> Tags, double MemoryGb);

    /// <summary>What a drain saw.</summary>
    public sealed record Result(IReadOnlyDictionary<string, List<string>> TakenBy, IReadOnlyList<string> Violations, int Errors)
    {
        public IEnumerable<string> Duplicates => TakenBy.Where(t => t.Value.Count > 1).Select(t => $"{t.Key} taken by {string.Join(", ", t.Value)}");
    }

    public static readonly Shape[] Shapes =
    [
        new(new JsonObject { ["tbox_group"] = "vm-2p8g", ["arch"] = "aarch64" }, ["1G", "4"]),
        new(new JsonObject { ["tbox_group"] = "vm-2p8g", ["os_arch"] = "x86_64" }, ["2048M", "6G"]),
        new(new JsonObject { ["tbox_group"] = "vm-2p16g", ["arch"] = "aarch64" }, ["8G", "12G"]),
        new(new JsonObject { ["tbox_group"] = "vm-2p16g", ["arch"] = "x86_64" }, ["8G", "24G"]),
        new(new JsonObject { ["arch"] = "aarch64" }, ["1G"]),
        new(new JsonObject { ["arch"] = "x86_64", ["tbox_type"] = "vm" }, ["512M"]),
        new(new JsonObject { ["tbox_group"] = "dc-8g" }, ["2G"]),
        new(new JsonObject { ["testbox"] = "vm-2p16g--big-0" }, ["16G"]),
    ];

    public static readonly Testbox[] Testboxes = BuildTestboxes();

    /// <summary>Job number <paramref name="i"/>: shape i mod 8, memory alternating within the shape.</summary>
    public static JsonObject Job(int i, string account = "drain")
    {
        var shape = Shapes[i % Shapes.Length];
        var job = (JsonObject)shape.Fields.DeepClone();
        job["suite"] = "drain";
        job["my_account"] = account + (i % 5).ToString(CultureInfo.InvariantCulture);
        job["memory"] = shape.Memory[i / Shapes.Length % shape.Memory.Length];
        job["seq"] = i;
        job["unknown_key_kept"] = new JsonObject { ["n"] = i };
        return job;
    }

    /// <summary>Submits jobs <paramref name="from"/>..<paramref name="to"/>-1 with 16 parallel submitters; returns their ids.</summary>
    public static async Task<List<string>> SubmitAsync(IReadOnlyList<SchedulerClient> clients, int from, int to)
    {
        var ids = new ConcurrentBag<string>();
        await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var created = await clients[i % clients.Count].SubmitAsync(Job(i), ct);
            ids.Add(created["id"]!.GetValue<string>());
        });
        return [.. ids];
    }

    /// <summary>
    /// Submits jobs <paramref name="from"/>..<paramref name="to"/>-1 as a careful client does while silos may die: each
    /// with a <c>submit_id</c> (<paramref name="run"/>-i), asking the next silo again with the same id whenever a call
    /// gets no answer or a 503. Answers every job's id (201 or, for a repeat whose first answer was lost, 200) and how
    /// many calls were repeated.
    /// </summary>
    public static async Task<(List<string> Ids, int Retries)> SubmitRetryingAsync(IReadOnlyList<SchedulerClient> clients, int from, int to, string run)
    {
        var ids = new ConcurrentBag<string>();
        var retries = 0;
        await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var job = Job(i);
            job["submit_id"] = $"{run}-{i}";
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref retries);
                }

                System.Net.HttpStatusCode status;
                JsonObject? body;
                try
                {
                    (status, body) = await clients[(i + attempt) % clients.Count].TrySubmitAsync(job, ct);
                }
                catch (Exception error) when (attempt < 30 && error is HttpRequestException or TaskCanceledException)
                {
                    continue;
                }

                if (status is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.OK)
                {
                    ids.Add(body!["id"]!.GetValue<string>());
                    return;
                }

                if (status != System.Net.HttpStatusCode.ServiceUnavailable || attempt >= 30)
                {
                    throw new InvalidOperationException($"submit {run}-{i} answered {(int)status}: {body?.ToJsonString()}");
                }
            }
        });
        return ([.. ids], retries);
    }

    /// <summary>
    /// Runs the 64 testboxes until <paramref name="expected"/> jobs are taken or the deadline passes. A
    /// testbox whose call fails asks again with the same request id through the next silo, as a real
    /// client would. <paramref name="onTaken"/> sees the running count (to kill a silo mid-drain).
    /// </summary>
    public static async Task<Result> DrainAsync(IReadOnlyList<SchedulerClient> clients, int expected, TimeSpan deadline, Func<int, Task>? onTaken = null)
    {
        var takenBy = new ConcurrentDictionary<string, List<string>>();
        var violations = new ConcurrentBag<string>();
        var taken = 0;
        var errors = 0;
        using var stop = new CancellationTokenSource(deadline);
        var run = Guid.NewGuid().ToString("N")[..8];
        var testboxes = Testboxes.Select(async (box, index) =>
        {
            var sequence = 0;
            var silo = index % clients.Count;
            while (Volatile.Read(ref taken) < expected && !stop.IsCancellationRequested)
            {
                var requestId = $"{box.Name}-{run}-{sequence}";
                JsonObject? job;
                try
                {
                    job = await clients[silo].ConsumeAsync(box.Name, box.Tags, box.MemoryGb, waitSeconds: 1, requestId, stop.Token);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    silo = (silo + 1) % clients.Count;
                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                sequence++;
                if (job is null)
                {
                    continue;
                }

                var id = job["id"]!.GetValue<string>();
                var holders = takenBy.GetOrAdd(id, _ => []);
                lock (holders)
                {
                    holders.Add(box.Name);
                }

                CheckFit(box, job, violations);
                var count = Interlocked.Increment(ref taken);
                if (onTaken is not null)
                {
                    await onTaken(count);
                }
            }
        });
        await Task.WhenAll(testboxes);
        return new Result(takenBy, [.. violations], errors);
    }

    private static void CheckFit(Testbox box, JsonObject job, ConcurrentBag<string> violations)
    {
        var offered = new Dictionary<string, string>(box.Tags)
        {
            ["testbox"] = box.Name,
            ["tbox_group"] = box.Name.Split("--")[0],
        };
        if (offered.Remove("hw_type", out var hw))
        {
            offered["tbox_type"] = hw;
        }

        if (offered.Remove("os_arch", out var arch))
        {
            offered["arch"] = arch;
        }

        var key = job["queue_key"]!.GetValue<string>();
        foreach (var tag in key == "*" ? [] : key.Split(','))
        {
            var (k, v) = (tag[..tag.IndexOf('=', StringComparison.Ordinal)], tag[(tag.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            if (!offered.TryGetValue(k, out var have) || have != v)
            {
                violations.Add($"{box.Name} got job {job["id"]} needing {tag}");
            }
        }

        if (job["memory_minimum_mb"]!.GetValue<long>() > box.MemoryGb * 1024)
        {
            violations.Add($"{box.Name} ({box.MemoryGb} GiB) got job {job["id"]} needing {job["memory_minimum_mb"]} MiB");
        }

        if (job["job_stage"]!.GetValue<string>() != "boot" || job["testbox"]!.GetValue<string>() != box.Name)
        {
            violations.Add($"{box.Name} got job {job["id"]} in stage {job["job_stage"]} held by {job["testbox"]}");
        }
    }

    private static Testbox[] BuildTestboxes()
    {
        var boxes = new List<Testbox>();
        static string Arch(int i) => i % 2 == 0 ? "aarch64" : "x86_64";
        for (var i = 0; i < 16; i++)
        {
            boxes.Add(new($"vm-2p8g--c{i}", new() { ["arch"] = Arch(i), ["hw_type"] = "vm" }, 8));
            boxes.Add(new($"vm-2p16g--c{i}", new() { ["os_arch"] = Arch(i), ["hw_type"] = "vm" }, i % 4 == 1 ? 32 : 16));
            boxes.Add(new($"dc-8g--c{i}", new() { ["arch"] = Arch(i), ["tbox_type"] = "dc", ["lab"] = "z9" }, 8));
        }

        for (var i = 0; i < 15; i++)
        {
            boxes.Add(new($"taishan-2p64g--c{i}", new() { ["arch"] = "aarch64", ["hw_type"] = "hw" }, 64));
        }

        boxes.Add(new("vm-2p16g--big-0", new() { ["arch"] = "x86_64", ["hw_type"] = "vm" }, 32));
        return [.. boxes];
    }
}
