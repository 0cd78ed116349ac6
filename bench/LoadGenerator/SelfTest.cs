namespace CompassCi.LoadGenerator;

/// <summary>
/// --self-test: runs the code whose mistakes would silently falsify a bench (percentiles, the exactly-once
/// checker, option parsing, wire formats, HTTP framing) on inputs with known answers. Needs no server.
/// </summary>
public sealed class SelfTest
{
    private readonly List<string> _failures = [];
    private int _checks;

    public static int Run(TextWriter output)
    {
        var test = new SelfTest();
        PercentileChecks.Run(test);
        ExactlyOnceChecks.Run(test);
        OptionChecks.Run(test);
        WireFormatChecks.Run(test);
        HttpResponseChecks.Run(test);
        KeepAliveConnectionChecks.Run(test);
        ExtractionChecks.Run(test);
        SuiteChecks.Run(test);

        foreach (var failure in test._failures)
        {
            output.WriteLine($"FAIL {failure}");
        }

        output.WriteLine($"self-test: {test._checks - test._failures.Count} of {test._checks} checks passed");
        return test._failures.Count == 0 ? 0 : 4;
    }

    public void Expect(bool condition, string what)
    {
        _checks++;
        if (!condition)
        {
            _failures.Add(what);
        }
    }

    public void Equal<T>(T expected, T actual, string what) =>
        Expect(EqualityComparer<T>.Default.Equals(expected, actual), $"{what}: expected {expected?.ToString() ?? "null"}, got {actual?.ToString() ?? "null"}");

    public void Close(double expected, double? actual, string what) =>
        Expect(actual is { } a && Math.Abs(a - expected) < 1e-6, $"{what}: expected {expected}, got {actual?.ToString() ?? "null"}");
}
