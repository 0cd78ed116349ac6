using CompassCi.LoadGenerator;

var parsed = OptionParser.Parse(args);
if (parsed.ShowHelp)
{
    Console.WriteLine(Usage.Text);
    return 0;
}

if (parsed.Error is { } error)
{
    await Console.Error.WriteLineAsync($"error: {error}\n\n{Usage.Text}");
    return 2;
}

if (parsed.SelfTest)
{
    return SelfTest.Run(Console.Out);
}

return parsed.Options.Mode switch
{
    BenchMode.LongPoll => await LongPollRun.RunAsync(parsed.Options, Console.Out),
    BenchMode.Restart => await RestartRun.RunAsync(parsed.Options, Console.Out),
    BenchMode.SuiteReport => await SuiteReportRun.RunAsync(parsed.Options, Console.Out),
    _ => await BenchRun.RunAsync(parsed.Options, Console.Out),
};
