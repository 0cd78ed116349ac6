namespace CompassCi.LoadGenerator;

/// <summary>The --help text; kept next to <see cref="OptionParser"/> in spirit, apart so the parser stays short.</summary>
public static class Usage
{
    public const string Text = """
        CompassCi load generator: submits N jobs, then drains them with C testboxes, and checks exactly-once.

        usage: CompassCi.LoadGenerator [--name value]...

          --url URL                  scheduler base address, loopback only   (default http://127.0.0.1:3000)
          --jobs N                   jobs to submit and drain                 (default 100000)
          --consumers C              concurrent consuming testboxes, >= K     (default 64)
          --submitters S             concurrent submit loops                  (default 16)
          --shapes K                 tag shapes (queues): vm-2p{i}g x arch    (default 8)
          --accounts A               my_account values the jobs are spread over (default 5)
          --extract-jobs X           after the run, X more jobs are taken, each uploads 10 result files and is
                                     finished; measures the results pipeline (default 0: no such phase)
          --silo-pid PID             server process; its VmRSS/VmHWM are read from /proc/PID/status
          --json FILE                also write the results as JSON to FILE
          --timeout-seconds T        hard deadline for the whole run          (default 1800)
          --ready-timeout-seconds R  how long to wait for GET /readyz = 200   (default 30)
          --mode M                   run (default): submit N, drain, check; the suite's other items (bench/suite.sh):
                                     long-poll     W testboxes wait in long polls, a trickle submits; dispatch latency
                                     preload       submit N, write them to --pending-file, stop (no drain)
                                     restart       on a just-restarted silo: first consume, all queues loaded, drain, check
                                     suite-report  no server: read --results-dir, print the suite's table, --json the whole
          --testboxes W              long-poll: waiting testboxes             (default 200)
          --trickle-rate R           long-poll: submits per second            (default 100)
          --trickle-jobs T           long-poll: jobs measured, after the warm-up (default 2000)
          --warmup-jobs U            long-poll: jobs submitted first, left out of the dispatch figures (default 200)
          --pending-file FILE        preload writes the acknowledged jobs; restart reads them
          --restarted-at UNIX        restart: when the silo process was started again (date +%s.%N)
          --results-dir DIR          suite-report: the suite's {before,after}-{item}.json files
          --self-test                check percentile, exactly-once and option code on known inputs
          --help, -h                 this text

        exit status: 0 exactly-once (and, with --extract-jobs, every job's stats) held and the run finished in time; 1 it did not;
                     2 bad command line; 3 server not ready or --silo-pid unreadable; 4 self-test mismatch.
        """;
}
