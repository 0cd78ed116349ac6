using System.Diagnostics;

namespace CompassCi.LoadGenerator;

/// <summary>
/// Phase 2: C testboxes, spread evenly over the K shapes, consume until their shape's queue is empty. Each shape
/// has a shared count of jobs still expected (what submit had acknowledged); a testbox stops when that count reaches
/// zero, or when it has been told "no job" (204) several times in a row while jobs were still expected — then
/// those jobs are missing, and the exactly-once check says so.
/// </summary>
public sealed class DrainPhase
{
    private readonly Uri _baseUrl;
    private readonly IReadOnlyList<TagShape> _shapes;
    private readonly long[] _remainingPerShape;
    private readonly string _runId;

    public DrainPhase(Uri baseUrl, IReadOnlyList<TagShape> shapes, IReadOnlyList<int> expectedPerShape, string runId)
    {
        _baseUrl = baseUrl;
        _shapes = shapes;
        _remainingPerShape = expectedPerShape.Select(n => (long)n).ToArray();
        _runId = runId;
    }

    public async Task<PhaseResult> RunAsync(int consumers, CancellationToken deadline)
    {
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, consumers).Select(c =>
        {
            // c mod K: consumers spread evenly, each shape getting floor(C/K) or one more.
            var shape = _shapes[c % _shapes.Count];
            var testbox = new TestboxConsumer(_baseUrl, shape, $"{shape.TboxGroup}--bench-{c}", $"{_runId}-{c}");
            return LoopThreads.Start(() => testbox.Run(() => Volatile.Read(ref _remainingPerShape[shape.Index]) > 0, OnJobTaken(shape), deadline));
        });

        var tallies = await Task.WhenAll(loops);
        return new PhaseResult("drain", clock.Elapsed.TotalSeconds, tallies);
    }

    private Action OnJobTaken(TagShape shape) => () => Interlocked.Decrement(ref _remainingPerShape[shape.Index]);
}
