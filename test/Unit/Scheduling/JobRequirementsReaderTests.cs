using System.Text;
using System.Text.Json.Nodes;
using CompassCi.Api.Jobs;
using CompassCi.Grains.Scheduling;
using Xunit;

namespace CompassCi.Tests.Unit.Scheduling;

public class JobRequirementsReaderTests
{
    private const string NotASize = "is not a memory size; use a number of GiB or a number with M, G or T";

    private static JobRequirementsResult Read(string json) => JobRequirementsReader.Read(JsonNode.Parse(json)!.AsObject());

    private static JobRequirements Valid(string json)
    {
        var result = Read(json);
        Assert.Empty(result.Errors);
        return Assert.IsType<JobRequirements>(result.Requirements);
    }

    private static IReadOnlyDictionary<string, string[]> Invalid(string json)
    {
        var result = Read(json);
        Assert.Null(result.Requirements);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    private static string SingleError(IReadOnlyDictionary<string, string[]> errors, string field)
    {
        Assert.Equal([field], errors.Keys);
        return Assert.Single(errors[field]);
    }

    [Fact]
    public void AJobWithNoSchedulingFieldsMatchesEveryTestbox()
    {
        var needs = Valid("""{"suite": "ebizzy", "my_account": "alice", "nr_threads": "200%"}""");

        Assert.Equal("*", needs.QueueKey);
        Assert.Empty(needs.Tags);
        Assert.Equal(0, needs.MemoryMb);
        Assert.Equal(5, needs.Priority);
        Assert.Null(needs.Testbox);
        Assert.Null(needs.TboxGroup);
        Assert.Null(needs.Arch);
    }

    [Fact]
    public void SchedulingFieldsBecomeTagsInCanonicalOrder()
    {
        var needs = Valid("""{"testbox": "vm-2p8g--h1-0", "arch": "aarch64", "tbox_type": "vm", "queue": "vip"}""");

        Assert.Equal("arch=aarch64,queue=vip,tbox_group=vm-2p8g,tbox_type=vm,testbox=vm-2p8g--h1-0", needs.QueueKey);
        Assert.Equal(["arch", "queue", "tbox_group", "tbox_type", "testbox"], needs.Tags.Keys);
        Assert.Equal("vm-2p8g--h1-0", needs.Testbox);
        Assert.Equal("vm-2p8g", needs.TboxGroup);
        Assert.Equal("aarch64", needs.Arch);
    }

    [Fact]
    public void TheQueueKeyDoesNotDependOnFieldOrder()
    {
        var one = Valid("""{"arch": "x86_64", "tbox_group": "vm-2p8g", "tags": {"numa": "2"}}""");
        var other = Valid("""{"tags": {"numa": "2"}, "tbox_group": "vm-2p8g", "arch": "x86_64"}""");

        Assert.Equal("arch=x86_64,numa=2,tbox_group=vm-2p8g", one.QueueKey);
        Assert.Equal(one.QueueKey, other.QueueKey);
    }

    [Fact]
    public void TagNamesSortOrdinally()
    {
        var needs = Valid("""{"tags": {"b": "1", "a": "2", "B": "3", "a_b": "4", "a.b": "5"}}""");

        Assert.Equal("B=3,a=2,a.b=5,a_b=4,b=1", needs.QueueKey);
    }

    [Theory]
    [InlineData("vm-2p8g--h1-0", "vm-2p8g")]
    [InlineData("taishan200-2280-2s48p-256g--a66", "taishan200-2280-2s48p-256g")]
    [InlineData("dc-8g.abc", "dc-8g")]
    [InlineData("vm-2p8g.taishan--1", "vm-2p8g")]
    [InlineData("lkp-bdw-ep4", "lkp-bdw-ep4")]
    public void TboxGroupIsDerivedFromTheTestbox(string testbox, string group)
    {
        var needs = Valid($$"""{"testbox": "{{testbox}}"}""");

        Assert.Equal(group, needs.TboxGroup);
        Assert.Equal(group, needs.Tags["tbox_group"]);
        Assert.Equal(testbox, needs.Tags["testbox"]);
    }

    [Fact]
    public void AGivenTboxGroupWinsOverTheDerivedOne()
    {
        var needs = Valid("""{"testbox": "vm-2p8g--h1-0", "tbox_group": "vm-custom"}""");

        Assert.Equal("vm-custom", needs.TboxGroup);
    }

    [Fact]
    public void TboxGroupIsDerivedFromATestboxGivenInTags()
    {
        var needs = Valid("""{"tags": {"testbox": "dc-8g.abc"}}""");

        Assert.Equal("dc-8g.abc", needs.Testbox);
        Assert.Equal("dc-8g", needs.TboxGroup);
    }

    [Fact]
    public void ATestboxThatIsNoMachineNameIsAnError()
    {
        // ".abc" would also imply no tbox_group; the machine-name grammar refuses it first.
        var message = SingleError(Invalid("""{"testbox": ".abc"}"""), "testbox");

        Assert.Contains("not a machine name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AliasesFoldIntoCanonicalTags()
    {
        var needs = Valid("""{"os_arch": "aarch64", "hw_type": "dc"}""");

        Assert.Equal("arch=aarch64,tbox_type=dc", needs.QueueKey);
        Assert.Equal("aarch64", needs.Arch);
    }

    [Fact]
    public void AnAliasThatAgreesWithItsCanonicalFieldIsFine()
    {
        var needs = Valid("""{"arch": "aarch64", "os_arch": "aarch64", "tbox_type": "vm", "hw_type": "vm"}""");

        Assert.Equal("arch=aarch64,tbox_type=vm", needs.QueueKey);
    }

    [Theory]
    [InlineData("""{"os_arch": "x86_64", "arch": "aarch64"}""", "os_arch")]
    [InlineData("""{"arch": "aarch64", "os_arch": "x86_64"}""", "os_arch")]
    [InlineData("""{"hw_type": "hw", "tbox_type": "vm"}""", "hw_type")]
    [InlineData("""{"arch": "aarch64", "tags": {"arch": "x86_64"}}""", "tags.arch")]
    [InlineData("""{"arch": "aarch64", "tags": {"os_arch": "x86_64"}}""", "tags.os_arch")]
    [InlineData("""{"os_arch": "aarch64", "tags": {"arch": "x86_64"}}""", "tags.arch")]
    [InlineData("""{"tags": {"os_arch": "x86_64", "arch": "aarch64"}}""", "tags.os_arch")]
    [InlineData("""{"tbox_type": "vm", "tags": {"hw_type": "hw"}}""", "tags.hw_type")]
    [InlineData("""{"testbox": "vm-2p8g--1", "tags": {"testbox": "vm-2p8g--2"}}""", "tags.testbox")]
    [InlineData("""{"queue": "a", "tags": {"queue": "b"}}""", "tags.queue")]
    public void ConflictingValuesForOneTagAreAnError(string json, string field)
    {
        var message = SingleError(Invalid(json), field);

        Assert.Contains("conflicts with", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATagRepeatedWithTheSameValueIsFine()
    {
        var needs = Valid("""{"arch": "aarch64", "tags": {"arch": "aarch64", "os_arch": "aarch64"}}""");

        Assert.Equal("arch=aarch64", needs.QueueKey);
    }

    [Fact]
    public void TagValuesMayBeScalars()
    {
        var needs = Valid("""{"tags": {"numa": 2, "ssd": true, "hdd": false, "ratio": 1.5, "name": "x"}}""");

        Assert.Equal("hdd=false,name=x,numa=2,ratio=1.5,ssd=true", needs.QueueKey);
    }

    [Theory]
    [InlineData("""{"tags": {"k": {"a": 1}}}""")]
    [InlineData("""{"tags": {"k": [1]}}""")]
    [InlineData("""{"tags": {"k": null}}""")]
    public void NonScalarTagValuesAreAnError(string json)
    {
        var message = SingleError(Invalid(json), "tags.k");

        Assert.Contains("must be a string, number or boolean", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tags": "arch=aarch64"}""")]
    [InlineData("""{"tags": ["arch"]}""")]
    [InlineData("""{"tags": 1}""")]
    public void TagsThatAreNotAMapAreAnError(string json)
    {
        SingleError(Invalid(json), "tags");
    }

    [Fact]
    public void NullFieldsCountAsAbsent()
    {
        var needs = Valid("""{"testbox": null, "arch": null, "tags": null, "memory": null, "priority": null}""");

        Assert.Equal("*", needs.QueueKey);
        Assert.Equal(5, needs.Priority);
    }

    [Theory]
    [InlineData("""{"tags": {"bad key": "x"}}""", "tags.bad key")]
    [InlineData("""{"tags": {"": "x"}}""", "tags.")]
    [InlineData("""{"tags": {"a=b": "x"}}""", "tags.a=b")]
    [InlineData("""{"tags": {"k": ""}}""", "tags.k")]
    [InlineData("""{"tags": {"k": "a,b"}}""", "tags.k")]
    [InlineData("""{"tags": {"k": "a\u0007b"}}""", "tags.k")]
    [InlineData("""{"queue": ""}""", "queue")]
    [InlineData("""{"queue": "a,b"}""", "queue")]
    [InlineData("""{"testbox": "vm\n1"}""", "testbox")]
    [InlineData("""{"queue": 5}""", "queue")]
    [InlineData("""{"arch": true}""", "arch")]
    [InlineData("""{"os_arch": ["aarch64"]}""", "os_arch")]
    [InlineData("""{"tbox_group": {"a": 1}}""", "tbox_group")]
    [InlineData("""{"hw_type": 1}""", "hw_type")]
    public void BadTagNamesAndValuesAreErrorsOnTheirField(string json, string field)
    {
        SingleError(Invalid(json), field);
    }

    [Fact]
    public void TagLengthsAreLimited()
    {
        static string Tags(string key, string value) => new JsonObject { ["tags"] = new JsonObject { [key] = value } }.ToJsonString();

        Valid(Tags(new string('k', 64), new string('v', 255)));
        SingleError(Invalid(Tags(new string('k', 65), "v")), "tags." + new string('k', 65));
        SingleError(Invalid(Tags("k", new string('v', 256))), "tags.k");
    }

    [Theory]
    [InlineData("16", 16384)]
    [InlineData("0", 0)]
    [InlineData("1.5", 1536)]
    [InlineData("0.001", 2)]
    [InlineData("\"16\"", 16384)]
    [InlineData("\"16G\"", 16384)]
    [InlineData("\"16g\"", 16384)]
    [InlineData("\"16GB\"", 16384)]
    [InlineData("\"16gb\"", 16384)]
    [InlineData("\"16GiB\"", 16384)]
    [InlineData("\"512M\"", 512)]
    [InlineData("\"512m\"", 512)]
    [InlineData("\"512MB\"", 512)]
    [InlineData("\"512MiB\"", 512)]
    [InlineData("\"2T\"", 2097152)]
    [InlineData("\"2TB\"", 2097152)]
    [InlineData("\"2TiB\"", 2097152)]
    [InlineData("\"1.5G\"", 1536)]
    [InlineData("\"1.1G\"", 1127)]
    [InlineData("\"0.5M\"", 1)]
    [InlineData("\" 8 G\"", 8192)]
    [InlineData("\"8 G\"", 8192)]
    [InlineData("\" 8G \"", 8192)]
    [InlineData("\"64T\"", 67108864)]
    [InlineData("\"0G\"", 0)]
    [InlineData("\".5G\"", 512)]
    [InlineData("\"1.0000000000000000001G\"", 1025)]
    public void MemorySizesAreReadAsMebibytesRoundedUp(string value, long mebibytes)
    {
        Assert.Equal(mebibytes, Valid($$"""{"memory": {{value}}}""").MemoryMb);
    }

    [Theory]
    [InlineData("\"lots\"", NotASize)]
    [InlineData("\"\"", NotASize)]
    [InlineData("\"G\"", NotASize)]
    [InlineData("\"1.2.3G\"", NotASize)]
    [InlineData("\"NaN\"", NotASize)]
    [InlineData("\"Infinity\"", NotASize)]
    [InlineData("\"16 G B\"", NotASize)]
    [InlineData("\"16X\"", "has an unknown unit \"X\"")]
    [InlineData("\"16K\"", "has an unknown unit \"K\"")]
    [InlineData("\"16PB\"", "has an unknown unit \"PB\"")]
    [InlineData("-1", "is negative")]
    [InlineData("\"-1G\"", "is negative")]
    [InlineData("-0.5", "is negative")]
    [InlineData("\"65T\"", "above the limit of 64 TiB")]
    [InlineData("\"64.001T\"", "above the limit of 64 TiB")]
    [InlineData("65537", "above the limit of 64 TiB")]
    [InlineData("1e300", "above the limit of 64 TiB")]
    [InlineData("\"99999999999999999999999999999999G\"", "above the limit of 64 TiB")]
    [InlineData("true", "must be a number of GiB or a string")]
    [InlineData("[16]", "must be a number of GiB or a string")]
    [InlineData("{\"size\": 16}", "must be a number of GiB or a string")]
    public void BadMemorySizesAreAnErrorOnMemory(string value, string expected)
    {
        var message = SingleError(Invalid($$"""{"memory": {{value}}}"""), "memory");

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void LotsOfMemoryIsExplained()
    {
        var message = SingleError(Invalid("""{"memory": "lots"}"""), "memory");

        Assert.Equal("\"lots\" is not a memory size; use a number of GiB or a number with M, G or T", message);
    }

    [Fact]
    public void MemoryMinimumComesFirstThenMemoryThenHwMemory()
    {
        Assert.Equal(1024, Valid("""{"memory_minimum": 1, "memory": 2, "hw": {"memory": 3}}""").MemoryMb);
        Assert.Equal(2048, Valid("""{"memory": "2G", "hw": {"memory": 3}}""").MemoryMb);
        Assert.Equal(3072, Valid("""{"hw": {"memory": "3G", "nr_cpu": 4}}""").MemoryMb);
        Assert.Equal(3072, Valid("""{"memory": null, "hw": {"memory": "3G"}}""").MemoryMb);
    }

    [Fact]
    public void OnlyTheMemoryFieldThatIsUsedIsChecked()
    {
        Assert.Equal(1024, Valid("""{"memory_minimum": "1G", "memory": "lots"}""").MemoryMb);
    }

    [Theory]
    [InlineData("""{"memory_minimum": "lots", "memory": "1G"}""", "memory_minimum")]
    [InlineData("""{"hw": {"memory": "lots"}}""", "hw.memory")]
    [InlineData("""{"hw": {"memory": -2}}""", "hw.memory")]
    public void MemoryErrorsNameTheFieldAsWritten(string json, string field)
    {
        SingleError(Invalid(json), field);
    }

    [Fact]
    public void HwThatIsNotAMapHasNoMemory()
    {
        Assert.Equal(0, Valid("""{"hw": "big"}""").MemoryMb);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("9", 9)]
    [InlineData("7", 7)]
    [InlineData("\"7\"", 7)]
    [InlineData("\"07\"", 7)]
    [InlineData("\"0\"", 0)]
    public void PriorityIsAWholeNumberFromZeroToNine(string value, int priority)
    {
        Assert.Equal(priority, Valid($$"""{"priority": {{value}}}""").Priority);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("5.0")]
    [InlineData("1e1")]
    [InlineData("\"high\"")]
    [InlineData("\"\"")]
    [InlineData("\" 7\"")]
    [InlineData("\"+7\"")]
    [InlineData("\"10\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("true")]
    [InlineData("[5]")]
    public void OtherPrioritiesAreAnError(string value)
    {
        var message = SingleError(Invalid($$"""{"priority": {{value}}}"""), "priority");

        Assert.Contains("0 (lowest) to 9 (highest)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var errors = Invalid("""{"arch": "aarch64", "os_arch": "x86_64", "tags": {"k": []}, "memory": "lots", "priority": 11, "queue": 3}""");

        Assert.Equal(["os_arch", "queue", "tags.k", "memory", "priority"], errors.Keys);
    }

    [Fact]
    public void ReadsAYamlSubmissionEndToEnd()
    {
        const string yaml = """
            suite: stream
            my_account: alice
            testbox: taishan200-2280-2s48p-256g--a66
            os_arch: aarch64
            memory: 8G
            priority: 7
            tags:
              numa: 2
              ssd: true
            """;
        var document = JobDocumentReader.Read(Encoding.UTF8.GetBytes(yaml), "application/yaml").Document;
        Assert.NotNull(document);

        var needs = JobRequirementsReader.Read(document).Requirements;

        Assert.NotNull(needs);
        Assert.Equal(
            "arch=aarch64,numa=2,ssd=true,tbox_group=taishan200-2280-2s48p-256g,testbox=taishan200-2280-2s48p-256g--a66",
            needs.QueueKey);
        Assert.Equal(8192, needs.MemoryMb);
        Assert.Equal(7, needs.Priority);
    }
}
