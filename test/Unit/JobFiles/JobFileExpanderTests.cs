using System.Text.Json.Nodes;
using CompassCi.Grains.JobFiles;
using CompassCi.Tests.Fixtures;

namespace CompassCi.Tests.Unit.JobFiles;

public class JobFileExpanderTests
{
    private static IReadOnlyList<JsonObject> Jobs(string text, params string[] overrides)
    {
        var expansion = JobFileExpander.Expand(text, [.. overrides.Select(Override)]);
        Assert.Empty(expansion.Errors);
        return expansion.Jobs;
    }

    private static JobFileOverride Override(string text)
    {
        Assert.True(JobFileOverride.TryParse(text, out var parsed, out var error), error);
        return parsed;
    }

    private static string Pp(JsonObject job) => job["pp"]!.ToJsonString();

    [Fact]
    public void Two_arrays_of_two_values_in_a_program_make_four_jobs_each_with_its_own_pp()
    {
        var jobs = Jobs(LkpFixtures.ReadJob("cpuloop-2x2.yaml"));

        // The first array in the file is the outer loop, as in lkp's each_job.
        Assert.Equal(
            [
                """{"cpuloop":{"mode":"spin","threads":1}}""",
                """{"cpuloop":{"mode":"spin","threads":4}}""",
                """{"cpuloop":{"mode":"yield","threads":1}}""",
                """{"cpuloop":{"mode":"yield","threads":4}}""",
            ],
            jobs.Select(Pp));
        Assert.All(jobs, j => Assert.Equal("cpuloop", (string?)j["suite"]));
        Assert.All(jobs, j => Assert.Equal("60s", (string?)j["runtime"]));
        Assert.Equal(["spin", "spin", "yield", "yield"], jobs.Select(j => (string?)j["cpuloop"]!["mode"]));
    }

    [Fact]
    public void Role_sections_stay_for_the_cluster_split_and_their_arrays_expand()
    {
        var jobs = Jobs(LkpFixtures.ReadJob("pingpong.yaml"));

        Assert.Equal(2, jobs.Count);
        Assert.Equal(["tcp", "sctp"], jobs.Select(j => (string?)j["if role client"]!["pingpong"]!["transport"]));
        Assert.All(jobs, j => Assert.True(j["if role server"]!.AsObject().ContainsKey("pingpong-server")));
        Assert.All(jobs, j => Assert.Equal("cs-localhost", (string?)j["cluster"]));
        Assert.Equal(
            ["""{"pingpong-server":null,"pingpong":{"transport":"tcp"}}""", """{"pingpong-server":null,"pingpong":{"transport":"sctp"}}"""],
            jobs.Select(Pp));
    }

    [Fact]
    public void A_later_document_is_laid_over_the_first_and_yields_its_own_jobs()
    {
        var jobs = Jobs(LkpFixtures.ReadJob("diskchurn.yaml"));

        // The first document alone, then the second over it: its fs array makes three more.
        Assert.Equal(4, jobs.Count);
        Assert.Null(jobs[0]["fs"]);
        Assert.Null(jobs[0]["disk"]);
        Assert.Equal(["ext4", "f2fs", "btrfs"], jobs.Skip(1).Select(j => (string?)j["fs"]));
        Assert.All(jobs.Skip(1), j => Assert.Equal("2SSD", (string?)j["disk"]));
        Assert.All(jobs, j => Assert.Equal("50%", (string?)j["nr_threads"]));
        Assert.All(jobs, j => Assert.Equal(5, (long?)j["settle_delay"]));
    }

    [Fact]
    public void A_later_document_replaces_a_whole_top_level_mapping()
    {
        var jobs = Jobs("suite: s\nnr: [1, 2]\nprog:\n  test: [a, b]\n  extra: x\n---\nprog:\n  test: c\n");

        Assert.Equal(6, jobs.Count);
        Assert.Equal(
            ["""{"prog":{"nr":1,"test":"c"}}""", """{"prog":{"nr":2,"test":"c"}}"""],
            jobs.Skip(4).Select(Pp));
        Assert.Null(jobs[5]["prog"]!["extra"]);
    }

    [Fact]
    public void An_erb_snippet_is_never_run_and_names_its_line_and_key()
    {
        var expansion = JobFileExpander.Expand(LkpFixtures.ReadJob("lease-2h.yaml"), []);

        Assert.Empty(expansion.Jobs);
        var message = Assert.Single(Assert.Single(expansion.Errors, e => e.Key == "authorized_key").Value);
        Assert.Contains("line 3", message, StringComparison.Ordinal);
        Assert.Contains("set=authorized_key=", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_of_the_erb_key_makes_the_line_harmless()
    {
        var jobs = Jobs(LkpFixtures.ReadJob("lease-2h.yaml"), "authorized_key: ssh-ed25519 AAAA me@host");

        var job = Assert.Single(jobs);
        Assert.Equal("ssh-ed25519 AAAA me@host", (string?)job["authorized_key"]);
        Assert.Equal("""{"sshd":null,"sleep":null}""", Pp(job));
    }

    [Fact]
    public void A_multi_line_snippet_and_a_double_brace_expression_are_named_by_their_first_line()
    {
        var erb = JobFileExpander.Expand("suite: s\nprog:\n  keys: <%=\n    Array.new(3)\n  %>\nnext: 1\n", []);
        Assert.Contains("line 3", Assert.Single(erb.Errors["prog.keys"]), StringComparison.Ordinal);

        var braces = JobFileExpander.Expand("suite: s\nfs: xfs\n\nprog:\n  load: {{ fs == 'xfs' ? 1 : 2 }}\n", []);
        Assert.Contains("line 5", Assert.Single(braces.Errors["prog.load"]), StringComparison.Ordinal);

        // A dotted override reaches the nested key.
        Assert.Equal("7", (string?)Assert.Single(Jobs("suite: s\nprog:\n  load: {{ 1 + 1 }}\n", "prog.load=7"))["prog"]!["load"]);
    }

    [Fact]
    public void A_testbox_override_wins_over_the_file_and_over_an_array_of_testboxes()
    {
        var jobs = Jobs("suite: s\ntestbox: [vm-a--1, vm-b--1]\nprog:\n  n: [1, 2]\n", "testbox=vm-2p8g--x");

        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("vm-2p8g--x", (string?)j["testbox"]));
    }

    [Fact]
    public void An_array_of_testboxes_splits_the_file_before_the_matrix_expands()
    {
        var jobs = Jobs("suite: s\ntestbox: [vm-a--1, vm-b--1]\nprog:\n  n: [1, 2]\n");

        Assert.Equal(["vm-a--1", "vm-a--1", "vm-b--1", "vm-b--1"], jobs.Select(j => (string?)j["testbox"]));
        Assert.Equal(["1", "2", "1", "2"], jobs.Select(j => j["prog"]!["n"]!.ToJsonString()));
    }

    [Fact]
    public void An_override_key_in_the_file_applies_to_every_document_unless_the_command_line_sets_it()
    {
        var text = "suite: s\nruntime: 10\noverride:\n  runtime: 20\n  os: debian\n---\nprog: {}\n";

        Assert.All(Jobs(text), j => Assert.Equal(20, (long?)j["runtime"]));
        Assert.All(Jobs(text, "runtime=30"), j => Assert.Equal("30", (string?)j["runtime"]));
        Assert.All(Jobs(text), j => Assert.False(j.ContainsKey("override")));
    }

    [Fact]
    public void Lists_that_are_values_stay_lists()
    {
        var job = Assert.Single(Jobs("suite: s\nmail_to: [a@x, b@x]\nneed_kconfig: [A, B]\nprog:\n  n: 1\n"));

        Assert.Equal("""["a@x","b@x"]""", job["mail_to"]!.ToJsonString());
        Assert.Equal("""["A","B"]""", job["need_kconfig"]!.ToJsonString());
    }

    [Theory]
    [InlineData("suite: s\nprog:\n  n: []\n", "prog.n", "empty list")]
    [InlineData("suite: [\n", "body", "invalid YAML")]
    [InlineData("- a\n- b\n", "body", "must be a mapping")]
    [InlineData("suite: s\nx: <%= 1 %>: 2\n", "body", "ERB")]
    public void Bad_files_are_errors_naming_the_field(string text, string field, string expected)
    {
        var expansion = JobFileExpander.Expand(text, []);

        Assert.Empty(expansion.Jobs);
        Assert.Contains(expected, Assert.Single(expansion.Errors[field]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_past_the_limit_is_refused_rather_than_stored()
    {
        var values = string.Join(", ", Enumerable.Range(0, 40));
        var expansion = JobFileExpander.Expand($"suite: s\na: [{values}]\nb: [{values}]\n", []);

        Assert.Empty(expansion.Jobs);
        Assert.Contains($"more than {JobMatrix.MaxJobs} jobs", Assert.Single(expansion.Errors["body"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("testbox=vm-2p8g--x", "testbox", "vm-2p8g--x")]
    [InlineData("kconfig: x86_64-rhel", "kconfig", "x86_64-rhel")]
    [InlineData("url=http://h:80/a", "url", "http://h:80/a")]
    [InlineData("cmd: a=b", "cmd", "a=b")]
    [InlineData("hackbench.mode=threads", "hackbench.mode", "threads")]
    [InlineData("empty=", "empty", "")]
    public void Overrides_read_as_lkp_writes_them(string text, string key, string value) =>
        Assert.Equal(new JobFileOverride(key, value), Override(text));

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    [InlineData("a..b=x")]
    public void Malformed_overrides_are_refused(string text) =>
        Assert.False(JobFileOverride.TryParse(text, out _, out _));
}
