using System.Text.Json.Nodes;
using CompassCi.Grains.Lifecycle;
using Xunit;

namespace CompassCi.Tests.Unit.Lifecycle;

public class CrashReportReaderTests
{
    private const string Causes = "testbox, task, network, scheduler, unknown";

    private static CrashReportResult Read(string json) => CrashReportReader.Read(JsonNode.Parse(json)!.AsObject());

    private static CrashReport Valid(string json)
    {
        var result = Read(json);
        Assert.Empty(result.Errors);
        return Assert.IsType<CrashReport>(result.Report);
    }

    private static IReadOnlyDictionary<string, string[]> Invalid(string json)
    {
        var result = Read(json);
        Assert.Null(result.Report);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    private static string SingleError(string json, string field)
    {
        var errors = Invalid(json);
        Assert.Equal([field], errors.Keys);
        return Assert.Single(errors[field]);
    }

    [Fact]
    public void AFullCrashObjectIsRead()
    {
        var crash = Valid("""
            {"notify": "lab", "cause": "network", "fatal": false,
             "keyvals": {"step": "wget_initrd", "http_status": 503, "retried": true, "ratio": 0.5}}
            """);

        Assert.Equal("lab", crash.Notify);
        Assert.Equal("network", crash.Cause);
        Assert.False(crash.Fatal);
        Assert.Equal(["step", "http_status", "retried", "ratio"], crash.Keyvals.Keys);
        Assert.Equal("wget_initrd", crash.Keyvals["step"]);
        Assert.Equal("503", crash.Keyvals["http_status"]);
        Assert.Equal("true", crash.Keyvals["retried"]);
        Assert.Equal("0.5", crash.Keyvals["ratio"]);
    }

    [Theory]
    [InlineData("lab")]
    [InlineData("task")]
    [InlineData("scheduler")]
    [InlineData("unknown")]
    public void EveryNotifyValueIsAccepted(string notify)
    {
        Assert.Equal(notify, Valid($$"""{"notify": "{{notify}}"}""").Notify);
    }

    [Theory]
    [InlineData("testbox")]
    [InlineData("task")]
    [InlineData("network")]
    [InlineData("scheduler")]
    [InlineData("unknown")]
    public void EveryCauseIsAccepted(string cause)
    {
        Assert.Equal(cause, Valid($$"""{"cause": "{{cause}}"}""").Cause);
    }

    [Fact]
    public void AnEmptyObjectIsAnUnknownNonFatalCrash()
    {
        var crash = Valid("{}");

        Assert.Equal(CrashReport.Unknown, crash);
        Assert.Equal("unknown", crash.Notify);
        Assert.Equal("unknown", crash.Cause);
        Assert.False(crash.Fatal);
        Assert.Empty(crash.Keyvals);
    }

    [Fact]
    public void NullFieldsTakeTheirDefaults()
    {
        Assert.Equal(CrashReport.Unknown, Valid("""{"notify": null, "cause": null, "fatal": null, "keyvals": null}"""));
    }

    [Fact]
    public void NoCrashObjectIsNeitherAReportNorAnError()
    {
        var result = CrashReportReader.Read((JsonObject?)null);

        Assert.Null(result.Report);
        Assert.Empty(result.Errors);
        Assert.Empty(CrashReportReader.Read((JsonNode?)null).Errors);
    }

    [Fact]
    public void FatalIsRead()
    {
        Assert.True(Valid("""{"cause": "task", "fatal": true}""").Fatal);
    }

    [Fact]
    public void AnUnknownCauseIsNamedWithTheChoices()
    {
        Assert.Equal($"'disk' is not a cause; use one of {Causes}", SingleError("""{"cause": "disk"}""", "crash.cause"));
    }

    [Fact]
    public void CausesAreCaseSensitive()
    {
        Assert.Equal($"'Task' is not a cause; use one of {Causes}", SingleError("""{"cause": "Task"}""", "crash.cause"));
    }

    [Fact]
    public void AnUnknownNotifyIsNamedWithTheChoices()
    {
        Assert.Equal(
            "'taskotron' is not a party to notify; use one of lab, task, scheduler, unknown",
            SingleError("""{"notify": "taskotron"}""", "crash.notify"));
    }

    [Theory]
    [InlineData("""{"cause": 5}""", "crash.cause", "must be a string, not 5")]
    [InlineData("""{"cause": ["task"]}""", "crash.cause", "must be a string, not [\"task\"]")]
    [InlineData("""{"notify": true}""", "crash.notify", "must be a string, not true")]
    [InlineData("""{"fatal": "yes"}""", "crash.fatal", "must be true or false, not \"yes\"")]
    [InlineData("""{"fatal": 1}""", "crash.fatal", "must be true or false, not 1")]
    [InlineData("""{"fatal": "true"}""", "crash.fatal", "must be true or false, not \"true\"")]
    public void WrongTypesAreNamed(string json, string field, string message)
    {
        Assert.Equal(message, SingleError(json, field));
    }

    [Fact]
    public void KeyvalsMustBeAnObject()
    {
        Assert.Equal(
            "must be an object of names to strings, numbers or booleans, like {\"step\": \"minion_creation\"}, not [1,2]",
            SingleError("""{"keyvals": [1, 2]}""", "crash.keyvals"));
        Assert.StartsWith("must be an object", SingleError("""{"keyvals": "step=x"}""", "crash.keyvals"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"keyvals": {"step": {"name": "x"}}}""", "crash.keyvals.step", "must be a string, number or boolean, not {\"name\":\"x\"}")]
    [InlineData("""{"keyvals": {"steps": ["a"]}}""", "crash.keyvals.steps", "must be a string, number or boolean, not [\"a\"]")]
    [InlineData("""{"keyvals": {"step": null}}""", "crash.keyvals.step", "must be a string, number or boolean, not null")]
    [InlineData("""{"keyvals": {"": "x"}}""", "crash.keyvals", "has an empty name; every value needs a name")]
    public void KeyvalValuesMustBeScalars(string json, string field, string message)
    {
        Assert.Equal(message, SingleError(json, field));
    }

    [Fact]
    public void AMisspeltFieldIsAnErrorNotIgnored()
    {
        Assert.Equal(
            "is not a crash field; use notify, cause, fatal, keyvals",
            SingleError("""{"casue": "task"}""", "crash.casue"));
    }

    [Fact]
    public void EveryProblemIsReportedInOneGo()
    {
        var errors = Invalid("""{"notify": "me", "cause": "disk", "fatal": "no", "keyvals": {"a": [1]}, "blame": "x"}""");

        Assert.Equal(["crash.blame", "crash.notify", "crash.cause", "crash.fatal", "crash.keyvals.a"], errors.Keys);
    }

    [Fact]
    public void ANodeThatIsNotAnObjectIsAnErrorUnderCrash()
    {
        var result = CrashReportReader.Read(JsonNode.Parse("\"network\""));

        Assert.Null(result.Report);
        Assert.Equal(["crash"], result.Errors.Keys);
        Assert.Equal(
            "must be an object like {\"notify\": \"lab\", \"cause\": \"testbox\", \"fatal\": false, \"keyvals\": {}}, not \"network\"",
            Assert.Single(result.Errors["crash"]));
    }

    [Fact]
    public void ANodeThatIsAnObjectIsRead()
    {
        var body = JsonNode.Parse("""{"health": "crash", "crash": {"notify": "task", "cause": "task", "fatal": true}}""")!;

        var crash = Assert.IsType<CrashReport>(CrashReportReader.Read(body["crash"]).Report);

        Assert.Equal(new CrashReport("task", "task", true, new Dictionary<string, string>()), crash);
    }

    [Fact]
    public void ALostHeartbeatIsATestboxCrashForTheLab()
    {
        var crash = SchedulerCrashes.HeartbeatLost("vm-2p8g--h1-0", 180);

        Assert.Equal(CrashNotify.Lab, crash.Notify);
        Assert.Equal(CrashCause.Testbox, crash.Cause);
        Assert.False(crash.Fatal);
        Assert.Equal("heartbeat_lost", crash.Keyvals[CrashReport.ReasonKey]);
        Assert.Equal("vm-2p8g--h1-0", crash.Keyvals["testbox"]);
        Assert.Equal("180", crash.Keyvals["silent_seconds"]);
    }

    [Fact]
    public void ReportsAreEqualByContent()
    {
        var one = Valid("""{"cause": "network", "keyvals": {"a": "1", "b": 2}}""");
        var same = Valid("""{"keyvals": {"b": 2, "a": "1"}, "cause": "network", "notify": "unknown", "fatal": false}""");
        var other = Valid("""{"cause": "network", "keyvals": {"a": "1", "b": 3}}""");

        Assert.Equal(one, same);
        Assert.Equal(one.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(one, other);
    }
}
