using System.Text.Json;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Builds the ~1 KB submit bodies: the size compass-ci's jobs have and the baseline measured with, so memory
/// per pending job compares like for like.
/// </summary>
public sealed class JobDocumentWriter
{
    /// <summary>Target size of one serialized job body in bytes.</summary>
    public const int TargetBytes = 1024;

    /// <summary>Distinct my_account values by default, as in the baseline (8 queues x 5 accounts).</summary>
    public const int DefaultAccounts = 5;

    private readonly IReadOnlyList<TagShape> _shapes;
    private readonly string _runId;
    private readonly int _accounts;

    public JobDocumentWriter(IReadOnlyList<TagShape> shapes, string runId, int accounts = DefaultAccounts)
    {
        _shapes = shapes;
        _runId = runId;
        _accounts = accounts;
    }

    /// <summary>The shape job <paramref name="jobIndex"/> belongs to (round-robin).</summary>
    public TagShape ShapeOf(int jobIndex) => _shapes[jobIndex % _shapes.Count];

    /// <summary>Serialized body of job <paramref name="jobIndex"/>, padded so it is about <see cref="TargetBytes"/> long.</summary>
    public byte[] Write(int jobIndex)
    {
        var shape = ShapeOf(jobIndex);

        // Account advances once per full round of shapes, so every shape sees all accounts (K and A need not be coprime).
        var account = $"acct{jobIndex / _shapes.Count % _accounts}";

        // The payload names the run and job so documents differ; the rest is ASCII padding (1 char = 1 byte in JSON).
        var marker = $"{_runId}-{jobIndex}-";
        var job = new JobSubmission("bench", account, shape.TboxGroup, shape.Arch, "4G", 5, marker);
        var unpadded = JsonSerializer.SerializeToUtf8Bytes(job, WireJson.Default.JobSubmission);
        var padding = Math.Max(0, TargetBytes - unpadded.Length);
        return padding == 0 ? unpadded : Pad(unpadded, padding);
    }

    /// <summary>
    /// The document with <paramref name="padding"/> more 'x's at the end of its payload. The payload is the last field
    /// and 'x' needs no escaping, so the bytes are those the serializer writes for the longer payload (the self-test
    /// compares them), made without a second serialization: this runs once per submit, next to the server.
    /// </summary>
    private static byte[] Pad(byte[] document, int padding)
    {
        // The document ends with the payload's closing quote and the object's closing brace.
        var end = document.Length - 2;
        var padded = new byte[document.Length + padding];
        document.AsSpan(0, end).CopyTo(padded);
        padded.AsSpan(end, padding).Fill((byte)'x');
        document.AsSpan(end).CopyTo(padded.AsSpan(end + padding));
        return padded;
    }
}
