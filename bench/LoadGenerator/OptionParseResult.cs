namespace CompassCi.LoadGenerator;

/// <summary>The outcome of reading the command line: options to run with, or a reason not to run.</summary>
/// <param name="Options">The options; meaningful only when <paramref name="Error"/> is null.</param>
/// <param name="Error">Why the command line was refused; null when it was accepted.</param>
/// <param name="ShowHelp">--help or -h was given: print usage and stop.</param>
/// <param name="SelfTest">--self-test was given: check the statistics code and stop.</param>
public sealed record OptionParseResult(BenchOptions Options, string? Error, bool ShowHelp, bool SelfTest);
