using System.Globalization;

namespace CompassCi.LoadGenerator;

/// <summary>Reads <c>--name value</c> pairs; strict, so a typo fails fast instead of running a 30-minute bench wrongly.</summary>
public static class OptionParser
{
    // Upper bounds keep a fat-fingered value from turning the bench into something unbounded.
    private const int MaxJobs = 10_000_000;
    private const int MaxWorkers = 4096;
    private const int MaxShapes = 1000;
    private const int MaxSeconds = 86_400;

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--url", "--jobs", "--consumers", "--submitters", "--shapes", "--accounts", "--silo-pid", "--json", "--timeout-seconds", "--ready-timeout-seconds", "--extract-jobs",
        "--mode", "--testboxes", "--trickle-rate", "--trickle-jobs", "--warmup-jobs", "--pending-file", "--restarted-at", "--results-dir",
    };

    private static readonly Dictionary<string, BenchMode> Modes = new(StringComparer.Ordinal)
    {
        ["run"] = BenchMode.Run,
        ["long-poll"] = BenchMode.LongPoll,
        ["preload"] = BenchMode.Preload,
        ["restart"] = BenchMode.Restart,
        ["suite-report"] = BenchMode.SuiteReport,
    };

    public static OptionParseResult Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();

        // Help wins over everything else, so "--jobs x --help" still shows the usage.
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new OptionParseResult(options, null, ShowHelp: true, SelfTest: false);
        }

        var selfTest = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--self-test")
            {
                selfTest = true;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                return Fail(options, $"unexpected argument '{name}' (options are --name value)");
            }

            if (!ValueOptions.Contains(name))
            {
                return Fail(options, $"unknown option {name}");
            }

            if (!seen.Add(name))
            {
                return Fail(options, $"option {name} given more than once");
            }

            // A following "--x" is the next option, not a value: "--json --jobs 5" is a missing value.
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return Fail(options, $"option {name} needs a value");
            }

            var value = args[++i];
            string? error = null;
            switch (name)
            {
                case "--url":
                    if (LoopbackUrl.TryParse(value, out var url, out var urlError)) options = options with { Url = url };
                    else error = urlError;
                    break;
                case "--jobs":
                    error = ReadCount(name, value, MaxJobs, out var jobs);
                    options = options with { Jobs = jobs };
                    break;
                case "--extract-jobs":
                    // 0 is allowed here: it is the default and means "no extraction phase".
                    error = ReadCount(name, value, MaxJobs, out var extractJobs, minimum: 0);
                    options = options with { ExtractJobs = extractJobs };
                    break;
                case "--consumers":
                    error = ReadCount(name, value, MaxWorkers, out var consumers);
                    options = options with { Consumers = consumers };
                    break;
                case "--submitters":
                    error = ReadCount(name, value, MaxWorkers, out var submitters);
                    options = options with { Submitters = submitters };
                    break;
                case "--shapes":
                    error = ReadCount(name, value, MaxShapes, out var shapes);
                    options = options with { Shapes = shapes };
                    break;
                case "--accounts":
                    error = ReadCount(name, value, MaxShapes, out var accounts);
                    options = options with { Accounts = accounts };
                    break;
                case "--silo-pid":
                    error = ReadCount(name, value, int.MaxValue, out var pid);
                    options = options with { SiloPid = pid };
                    break;
                case "--json":
                    if (string.IsNullOrWhiteSpace(value)) error = "--json needs a file name";
                    else options = options with { JsonPath = value };
                    break;
                case "--timeout-seconds":
                    error = ReadCount(name, value, MaxSeconds, out var timeout);
                    options = options with { TimeoutSeconds = timeout };
                    break;
                case "--ready-timeout-seconds":
                    error = ReadCount(name, value, MaxSeconds, out var ready);
                    options = options with { ReadyTimeoutSeconds = ready };
                    break;
                case "--mode":
                    if (Modes.TryGetValue(value, out var mode)) options = options with { Mode = mode };
                    else error = $"option --mode needs one of {string.Join(", ", Modes.Keys)}, not '{value}'";
                    break;
                case "--testboxes":
                    error = ReadCount(name, value, MaxWorkers, out var testboxes);
                    options = options with { Testboxes = testboxes };
                    break;
                case "--trickle-rate":
                    error = ReadCount(name, value, 100_000, out var rate);
                    options = options with { TrickleRate = rate };
                    break;
                case "--trickle-jobs":
                    error = ReadCount(name, value, MaxJobs, out var trickleJobs);
                    options = options with { TrickleJobs = trickleJobs };
                    break;
                case "--warmup-jobs":
                    error = ReadCount(name, value, MaxJobs, out var warmupJobs, minimum: 0);
                    options = options with { WarmupJobs = warmupJobs };
                    break;
                case "--pending-file":
                    if (string.IsNullOrWhiteSpace(value)) error = "--pending-file needs a file name";
                    else options = options with { PendingFile = value };
                    break;
                case "--restarted-at":
                    // Unix seconds with a fraction, as `date +%s.%N` prints them.
                    if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var at) && at > 0) options = options with { RestartedAt = at };
                    else error = $"option --restarted-at needs Unix seconds such as 1764662400.25, not '{value}'";
                    break;
                case "--results-dir":
                    if (string.IsNullOrWhiteSpace(value)) error = "--results-dir needs a directory";
                    else options = options with { ResultsDir = value };
                    break;
                default:
                    // Unreachable while ValueOptions and these cases agree; a loud failure if they drift apart.
                    throw new InvalidOperationException($"option {name} is listed but not handled");
            }

            if (error is not null)
            {
                return Fail(options, error);
            }
        }

        // Every shape needs at least one testbox, or its jobs are never drained.
        if (options.Consumers < options.Shapes)
        {
            return Fail(options, $"--consumers ({options.Consumers}) must be at least --shapes ({options.Shapes})");
        }

        if (ModeProblem(options) is { } problem)
        {
            return Fail(options, problem);
        }

        return new OptionParseResult(options, null, ShowHelp: false, selfTest);
    }

    /// <summary>The options a mode cannot run without; checked here so a suite fails at once, not after a preload.</summary>
    private static string? ModeProblem(BenchOptions options) => options.Mode switch
    {
        BenchMode.Preload or BenchMode.Restart when options.PendingFile is null => "--mode preload and --mode restart need --pending-file",
        BenchMode.Restart when options.RestartedAt is null => "--mode restart needs --restarted-at (Unix seconds when the silo was restarted)",
        BenchMode.SuiteReport when options.ResultsDir is null => "--mode suite-report needs --results-dir",
        BenchMode.LongPoll when options.Testboxes < options.Shapes => $"--testboxes ({options.Testboxes}) must be at least --shapes ({options.Shapes})",
        _ => null,
    };

    /// <summary>Reads a whole number in [minimum, max]; returns the complaint, or null when it is fine.</summary>
    private static string? ReadCount(string name, string value, int max, out int result, int minimum = 1)
    {
        // NumberStyles.None: digits only, so "-1", "+3", " 5" and "1e3" are all refused rather than guessed at.
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) || result < minimum || result > max)
        {
            result = 0;
            return $"option {name} needs a whole number from {minimum} to {max}, not '{value}'";
        }

        return null;
    }

    private static OptionParseResult Fail(BenchOptions options, string error) => new(options, error, false, false);
}
