namespace CompassCi.LoadGenerator;

/// <summary>Command lines that must parse to known options, and ones that must be refused.</summary>
public static class OptionChecks
{
    public static void Run(SelfTest t)
    {
        var defaults = OptionParser.Parse([]);
        t.Equal(null, defaults.Error, "no arguments is fine");
        t.Equal(new BenchOptions(), defaults.Options, "no arguments gives the defaults");
        t.Equal("http://127.0.0.1:3000/", defaults.Options.Url.ToString(), "default url");
        t.Expect(
            defaults.Options is { Jobs: 100_000, Consumers: 64, Submitters: 16, Shapes: 8, TimeoutSeconds: 1800, SiloPid: null, JsonPath: null, ExtractJobs: 0 },
            "default numbers");

        var all = OptionParser.Parse([
            "--url", "http://localhost:3100", "--jobs", "10", "--consumers", "4", "--submitters", "3", "--shapes", "2", "--accounts", "50",
            "--silo-pid", "42", "--json", "out.json", "--timeout-seconds", "60", "--ready-timeout-seconds", "5", "--extract-jobs", "7",
        ]);
        t.Equal(null, all.Error, "every option at once");
        t.Expect(
            all.Options is { Jobs: 10, Consumers: 4, Submitters: 3, Shapes: 2, Accounts: 50, SiloPid: 42, JsonPath: "out.json", TimeoutSeconds: 60, ReadyTimeoutSeconds: 5, ExtractJobs: 7 },
            "every option lands in its field");
        t.Equal("http://localhost:3100/", all.Options.Url.ToString(), "localhost url");

        t.Equal("http://[::1]:3000/", OptionParser.Parse(["--url", "http://[::1]:3000"]).Options.Url.ToString(), "IPv6 loopback url");
        t.Equal("http://127.1.2.3/", OptionParser.Parse(["--url", "http://127.1.2.3"]).Options.Url.ToString(), "all of 127/8 is loopback");
        t.Equal("http://127.0.0.1:3000/prefix/", OptionParser.Parse(["--url", "http://127.0.0.1:3000/prefix"]).Options.Url.ToString(), "a path prefix keeps its place");

        t.Equal(null, OptionParser.Parse(["--extract-jobs", "0"]).Error, "--extract-jobs 0 (off) is allowed");
        t.Equal(0, OptionParser.Parse(["--extract-jobs", "0"]).Options.ExtractJobs, "--extract-jobs 0 is off");
        t.Expect(OptionParser.Parse(["--extract-jobs", "-1"]).Error is not null, "refuses: --extract-jobs -1");
        t.Expect(OptionParser.Parse(["--extract-jobs", "x"]).Error is not null, "refuses: --extract-jobs x");
        t.Expect(OptionParser.Parse(["--jobs", "0"]).Error?.Contains("from 1", StringComparison.Ordinal) == true, "--jobs still needs at least 1");

        t.Expect(OptionParser.Parse(["--help", "--jobs", "x"]).ShowHelp, "--help wins over a bad value");
        t.Expect(OptionParser.Parse(["-h"]).ShowHelp, "-h is help");
        t.Expect(OptionParser.Parse(["--self-test"]).SelfTest, "--self-test is seen");

        string[][] refused =
        [
            ["--jobs"],
            ["--jobs", "abc"],
            ["--jobs", "0"],
            ["--jobs", "-5"],
            ["--jobs", "+5"],
            ["--jobs", "1e3"],
            ["--jobs", " 5"],
            ["--jobs", "99999999999"],
            ["--jobs", "1", "--jobs", "2"],
            ["--json", "--jobs", "5"],
            ["--bogus", "1"],
            ["--bogus"],
            ["jobs", "5"],
            ["--consumers", "2", "--shapes", "4"],
            ["--url", "http://example.com"],
            ["--url", "http://10.0.0.1:3000"],
            ["--url", "http://0.0.0.0:3000"],
            ["--url", "http://[::]:3000"],
            ["--url", "http://localhost.example.com"],
            ["--url", "ftp://127.0.0.1/"],
            ["--url", "http://user@127.0.0.1:3000"],
            ["--url", "127.0.0.1:3000"],
            ["--silo-pid", "0"],
            ["--timeout-seconds", "0"],
        ];
        t.Equal("unknown option --bogus", OptionParser.Parse(["--bogus"]).Error, "an unknown option is named as unknown, not as missing a value");
        foreach (var args in refused)
        {
            t.Expect(OptionParser.Parse(args).Error is not null, $"refuses: {string.Join(' ', args)}");
        }
    }
}
