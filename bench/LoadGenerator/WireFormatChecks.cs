using System.Text;
using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>Request bodies, id parsing, tag shapes and /proc parsing against the API contract.</summary>
public static class WireFormatChecks
{
    public static void Run(SelfTest t)
    {
        t.Equal("123", JobIdReader.Read("""{"id":"123","job_stage":"submit"}"""u8), "string id");
        t.Equal("123", JobIdReader.Read("""{"job_stage":"submit","id":123}"""u8), "number id reads like the string");
        t.Equal(null, JobIdReader.Read("""{"job_stage":"submit"}"""u8), "no id");
        t.Equal(null, JobIdReader.Read("""{"id":""}"""u8), "empty id");
        t.Equal(null, JobIdReader.Read("""{"id":null}"""u8), "null id");
        t.Equal(null, JobIdReader.Read("""[{"id":"1"}]"""u8), "not an object");
        t.Equal(null, JobIdReader.Read("not json"u8), "not JSON");
        t.Equal(null, JobIdReader.Read(""u8), "empty body");
        t.Equal("2", JobIdReader.Read("""{"id":"1","id":"2"}"""u8), "a repeated id counts by its last occurrence");
        t.Equal("1", JobIdReader.Read("""{"x":{"id":"9","y":[{"id":"8"}]},"id":"1","z":[]}"""u8), "ids of nested objects are not the job's");
        t.Equal(null, JobIdReader.Read("""{"x":{"id":"9"}}"""u8), "only a nested id");
        t.Equal(null, JobIdReader.Read("""{"id":"1","job_stage":"""u8), "broken after the id");
        t.Equal(null, JobIdReader.Read("""{"id":"1","job_stage":}"""u8), "invalid after the id");
        t.Equal("5", JobIdReader.Read("""{"\u0069d":"5"}"""u8), "an escaped property name");
        t.Equal(null, JobIdReader.Read("""{"id":1.5}"""u8), "a fractional id");
        t.Equal(null, JobIdReader.Read("""{"id":"  "}"""u8), "a blank id");

        var shapes = TagShape.Build(3);
        t.Equal(new TagShape(0, "vm-2p1g", "aarch64"), shapes[0], "shape 0");
        t.Equal(new TagShape(1, "vm-2p2g", "x86_64"), shapes[1], "shape 1");
        t.Equal(new TagShape(2, "vm-2p3g", "aarch64"), shapes[2], "shape 2");

        t.Equal(new TagShape(1, "vm-4p2g", "x86_64"), TagShape.Build(2, ExtractionPhase.ShapeGroup)[1], "extraction shapes have their own group");

        var consume = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(
            new ConsumeRequest(new ConsumeTags("vm-2p1g", "aarch64"), 16, 0, "r-1"), WireJson.Default.ConsumeRequest));
        t.Equal("""{"tags":{"tbox_group":"vm-2p1g","arch":"aarch64"},"memory_gb":16,"wait_seconds":0,"request_id":"r-1"}""", consume, "consume body");

        var writer = new JobDocumentWriter(TagShape.Build(8), "run1");
        var first = writer.Write(0);
        var last = writer.Write(99_999);
        t.Equal(JobDocumentWriter.TargetBytes, first.Length, "job 0 body is exactly the target size");
        t.Equal(JobDocumentWriter.TargetBytes, last.Length, "job 99999 body is exactly the target size");
        foreach (var (index, body) in new[] { (0, first), (99_999, last) })
        {
            // The padding is spliced into the serialized document: it must be the serializer's own bytes for that payload.
            using var parsed = JsonDocument.Parse(body);
            var fields = parsed.RootElement;
            var reference = JsonSerializer.SerializeToUtf8Bytes(
                new JobSubmission(
                    fields.GetProperty("suite").GetString()!,
                    fields.GetProperty("my_account").GetString()!,
                    fields.GetProperty("tbox_group").GetString()!,
                    fields.GetProperty("arch").GetString()!,
                    fields.GetProperty("memory").GetString()!,
                    fields.GetProperty("priority").GetInt32(),
                    fields.GetProperty("payload").GetString()!),
                WireJson.Default.JobSubmission);
            t.Expect(reference.AsSpan().SequenceEqual(body), $"job {index} body is what the serializer writes for its padded payload");
        }
        using (var job = JsonDocument.Parse(last))
        {
            var root = job.RootElement;
            t.Equal("bench", root.GetProperty("suite").GetString(), "suite");
            t.Equal("vm-2p8g", root.GetProperty("tbox_group").GetString(), "job 99999 is in shape 99999 mod 8 = 7");
            t.Equal("x86_64", root.GetProperty("arch").GetString(), "shape 7 arch");
            t.Equal("acct4", root.GetProperty("my_account").GetString(), "job 99999 account: 99999 / 8 mod 5 = 4");
            t.Equal("4G", root.GetProperty("memory").GetString(), "memory");
            t.Equal(5, root.GetProperty("priority").GetInt32(), "priority");
            t.Expect(root.GetProperty("payload").GetString()!.StartsWith("run1-99999-", StringComparison.Ordinal), "payload names run and job");
        }

        // With K = 5 (a multiple of the 5 accounts) every shape must still see every account.
        var fiveShapes = new JobDocumentWriter(TagShape.Build(5), "r");
        var pairs = Enumerable.Range(0, 25).Select(i =>
        {
            using var doc = JsonDocument.Parse(fiveShapes.Write(i));
            return (doc.RootElement.GetProperty("tbox_group").GetString(), doc.RootElement.GetProperty("my_account").GetString());
        }).Distinct().Count();
        t.Equal(25, pairs, "5 shapes x 5 accounts all appear in 25 jobs");

        var status = "Name:\tdotnet\nVmPeak:\t 900 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\nThreads:\t20\n";
        t.Equal<(long, long)?>((1024L * 1024, 2048L * 1024), ProcessMemory.ParseStatus(status), "VmRSS and VmHWM from /proc status");
        t.Equal<(long, long)?>(null, ProcessMemory.ParseStatus("Name:\tkthreadd\n"), "a kernel thread has no VmRSS");
        var self = ProcessMemory.Read(Environment.ProcessId);
        t.Expect(!OperatingSystem.IsLinux() || self is { RssBytes: > 0, HwmBytes: > 0, TreeProcesses: >= 1 }, "reads this process's own /proc status");
    }
}
