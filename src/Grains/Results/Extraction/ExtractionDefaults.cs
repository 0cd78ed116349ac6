namespace CompassCi.Grains.Results.Extraction;

/// <summary>
/// The lists extraction uses when neither the configuration nor an lkp-tests checkout gives them. Our own small
/// choice, in lkp-tests' spirit; set <see cref="ExtractionOptions.LkpSrc"/> for lkp-tests' full lists.
/// </summary>
public static class ExtractionDefaults
{
    /// <summary>
    /// Stats that mean something went wrong: anything the kernel log, the kernel message monitor, the run's last
    /// state, lkp's own bug detector or stderr reported; a process killed; and a key ending in an error, warn or
    /// fail word (without a following '_', so <c>.fail_rate</c>-like names stay out).
    /// </summary>
    public static IReadOnlyList<string> FailurePatterns { get; } =
    [
        @"dmesg.*",
        @".+\.(error|warn|fail)[^_]*$",
        @".+killed_by.*",
        @"kmsg.*",
        @"last_state.*",
        @"lkp-bug.*",
        @"stderr.*",
    ];

    /// <summary>
    /// The time monitor reports each finished command's own usage (one sample per command run), so the job's total
    /// is the sum of its samples, not their mean.
    /// </summary>
    public static IReadOnlyList<string> IndependentCounterPrefixes { get; } =
    [
        "time.user_time",
        "time.system_time",
        "time.voluntary_context_switches",
        "time.involuntary_context_switches",
        "time.minor_page_faults",
        "time.major_page_faults",
        "time.file_system_inputs",
        "time.file_system_outputs",
    ];

    /// <summary>
    /// Counters the kernel only ever increases (/proc/vmstat page events, interrupts, softirqs), sampled as running
    /// totals: what the job caused is the last sample minus the first.
    /// </summary>
    public static IReadOnlyList<string> EventCounterPrefixes { get; } =
    [
        "proc-vmstat.pg",
        "proc-vmstat.numa_",
        "interrupts.",
        "softirq.",
    ];

    /// <summary>perf-stat's whole-run totals describe the whole run; a time window over them means nothing.</summary>
    public static IReadOnlyList<string> IgnorePartPrefixes { get; } =
    [
        "perf-stat.overall.",
        "perf-stat.total.",
    ];

    /// <summary>Latencies whose worst sample matters as much as their mean.</summary>
    public static IReadOnlyList<string> MaxLatencyPatterns { get; } =
    [
        @"iostat\..*\.(await|r_await|w_await)",
        @".*time\.elapsed_time",
    ];
}
