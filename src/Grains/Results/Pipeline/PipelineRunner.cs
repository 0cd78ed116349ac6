using System.Globalization;
using System.Text.Json.Nodes;
using CompassCi.Grains.Effects;
using CompassCi.Grains.Storage;
using CompassCi.Grains.Telemetry;
using CompassCi.Grains.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>
/// Runs an ended job's results pipeline: extraction, then the configured post-extract plugins, each step once. The
/// plan is recorded on the first run; each step's attempt is counted before it runs and its completion is committed
/// with what it wrote, so a crash anywhere resumes at the first step not done. A step that throws is tried again after
/// a growing wait, up to <see cref="PipelineOptions.MaxAttempts"/>, then marked failed (visible, and retriable).
/// When every step is done, or one failed, the job's <c>extract</c> effect is marked done: the pipeline has ended.
/// </summary>
public sealed class PipelineRunner
{
    private readonly ResultStepStore _steps;
    private readonly JobEffectStore _outbox;
    private readonly IGrainFactory _grains;
    private readonly ExtractStep _extract;
    private readonly Dictionary<string, IPostExtractPlugin> _plugins;
    private readonly PipelineOptions _options;
    private readonly JobEffectOptions _effects;
    private readonly FailPoints _failPoints;
    private readonly TimeProvider _clock;
    private readonly SchedulerMetrics _metrics;
    private readonly ILogger<PipelineRunner> _logger;

    public PipelineRunner(
        ResultStepStore steps,
        JobEffectStore outbox,
        IGrainFactory grains,
        ExtractStep extract,
        IEnumerable<IPostExtractPlugin> plugins,
        IOptions<PipelineOptions> options,
        IOptions<JobEffectOptions> effects,
        FailPoints failPoints,
        TimeProvider clock,
        SchedulerMetrics metrics,
        ILogger<PipelineRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(effects);
        _steps = steps;
        _outbox = outbox;
        _grains = grains;
        _extract = extract;
        _plugins = plugins.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _options = options.Value;
        _effects = effects.Value;
        _failPoints = failPoints;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        foreach (var missing in _options.Plugins.Where(p => !_plugins.ContainsKey(p)))
        {
            logger.LogError("Results pipeline plugin '{Plugin}' is configured ({Section}:Plugins) but not registered; its step fails until it is", missing, PipelineOptions.Section);
        }
    }

    /// <summary>The steps a new pipeline gets: extraction, then the configured plugins in order.</summary>
    public IReadOnlyList<string> Plan => [ExtractStep.Name, .. _options.Plugins];

    /// <summary>Runs job <paramref name="jobId"/>'s pipeline from its first step not done; ends the effect when the pipeline ends.</summary>
    public async Task RunAsync(long jobId)
    {
        var job = await _grains.GetGrain<IJobGrain>(ResultsGrain.Key(jobId)).Get();
        if (job is null || job.Stage != JobStages.Finish)
        {
            // Nothing to extract (an effect for a job that is gone or, impossibly, not ended): end it rather than retry for ever.
            _logger.LogWarning("Results pipeline of job {JobId}: the job is {State}; nothing to do", jobId, job is null ? "missing" : $"in stage '{job.Stage}'");
            await _outbox.MarkKindDoneAsync(jobId, JobEffectKinds.Extract, Now);
            return;
        }

        var steps = await _steps.ListAsync(jobId);
        if (steps.Count == 0)
        {
            await _steps.PlanAsync(jobId, Plan, Now);
            steps = await _steps.ListAsync(jobId);
        }

        var outputs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step.State == StepStates.Done)
            {
                outputs[step.Step] = step.Output ?? [];
                continue;
            }

            if (step.State == StepStates.Failed || !await RunStepAsync(job, step, outputs))
            {
                break;
            }

            _failPoints.AfterResultStep(job, step.Step);
        }

        await _outbox.MarkKindDoneAsync(jobId, JobEffectKinds.Extract, Now);
    }

    /// <summary>Makes the job's failed steps pending again, with the effect that runs them due again in the same commit. False when none had failed.</summary>
    public async Task<bool> RetryAsync(long jobId)
    {
        var job = await _grains.GetGrain<IJobGrain>(ResultsGrain.Key(jobId)).Get();
        if (job is null)
        {
            return false;
        }

        var effect = new JobEffect(JobEffectKinds.Extract, ResultsGrain.Key(jobId));
        return await _steps.RetryAsync(jobId, Now, JobEffectStore.Reopen(jobId, job.Version, effect, Now, _effects.RedriveAfter)) > 0;
    }

    /// <summary>Attempts one step until it is done or out of attempts; true when it is done.</summary>
    private async Task<bool> RunStepAsync(JobRecord job, ResultStep step, Dictionary<string, JsonObject> outputs)
    {
        while (true)
        {
            var attempt = await _steps.BeginAttemptAsync(job.Id, step.Position, Now);
            try
            {
                var (output, writes) = await RunOnceAsync(job, step.Step, outputs, attempt);
                await _steps.CompleteAsync(job.Id, step.Position, output, Now, writes);
                outputs[step.Step] = output ?? [];
                _metrics.PipelineStep(step.Step, done: true);
                return true;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                var final = attempt >= _options.MaxAttempts;
                _metrics.PipelineStep(step.Step, done: false);
                _logger.LogWarning(error, "Results step {Step} of job {JobId} failed (attempt {Attempt} of {MaxAttempts})", step.Step, job.Id, attempt, _options.MaxAttempts);
                await _steps.RecordFailureAsync(job.Id, step.Position, $"attempt {attempt.ToString(CultureInfo.InvariantCulture)}: {error.Message}", final, Now);
                if (final)
                {
                    return false;
                }

                await Task.Delay(_options.DelayAfter(attempt), _clock);
            }
        }
    }

    private async Task<(JsonObject? Output, IReadOnlyList<SqlStatement> Writes)> RunOnceAsync(JobRecord job, string step, Dictionary<string, JsonObject> outputs, int attempt)
    {
        if (step == ExtractStep.Name)
        {
            return await _extract.RunAsync(job, Now);
        }

        if (!_plugins.TryGetValue(step, out var plugin))
        {
            throw new InvalidOperationException($"no post-extract plugin named '{step}' is registered");
        }

        var errids = outputs.TryGetValue(ExtractStep.Name, out var extracted) && extracted["errid"] is JsonArray list
            ? list.Select(e => e!.GetValue<string>()).ToList()
            : [];
        var output = await plugin.RunAsync(new PluginContext(job, errids, outputs, attempt), CancellationToken.None);
        return (output, []);
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
