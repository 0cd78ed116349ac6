namespace CompassCi.LoadGenerator;

/// <summary>The exactly-once checker on small hand-made deliveries, one fault at a time.</summary>
public static class ExactlyOnceChecks
{
    public static void Run(SelfTest t)
    {
        string[] three = ["1", "2", "3"];

        var perfect = ExactlyOnceChecker.Check(3, three, ["3", "1", "2"]);
        t.Equal(new ExactlyOnceReport(3, 3, 0, 3, 3, 0, 0, 0), perfect, "every job once, any order");
        t.Expect(perfect.Passed, "every job once passes");

        var duplicate = ExactlyOnceChecker.Check(3, three, ["1", "2", "2"]);
        t.Equal(new ExactlyOnceReport(3, 3, 0, 3, 2, 1, 1, 0), duplicate, "one job twice, one never");
        t.Expect(!duplicate.Passed, "a duplicate fails");

        var triple = ExactlyOnceChecker.Check(3, three, ["1", "1", "1", "2", "3"]);
        t.Equal(2, triple.Duplicates, "a job three times counts two duplicates");
        t.Expect(!triple.Passed, "a triple delivery fails");

        var extra = ExactlyOnceChecker.Check(3, three, ["1", "2", "3", "4"]);
        t.Equal(1, extra.Unexpected, "an id never acknowledged is unexpected");
        t.Expect(!extra.Passed, "an unexpected delivery fails");

        var lost = ExactlyOnceChecker.Check(3, three, ["1"]);
        t.Equal(2, lost.Missing, "two jobs never delivered");
        t.Expect(!lost.Passed, "a missing job fails");

        var shortSubmit = ExactlyOnceChecker.Check(3, ["1", "2"], ["1", "2"]);
        t.Equal(0, shortSubmit.Missing, "nothing missing among what was acknowledged");
        t.Expect(!shortSubmit.Passed, "fewer than N acknowledged fails");

        var sharedId = ExactlyOnceChecker.Check(3, ["1", "1", "2"], ["1", "2"]);
        t.Equal(1, sharedId.SubmitDuplicates, "two submits answered with one id");
        t.Expect(!sharedId.Passed, "a repeated submit id fails");

        var nothing = ExactlyOnceChecker.Check(0, [], []);
        t.Expect(nothing.Passed, "zero jobs, zero deliveries is consistent");
    }
}
