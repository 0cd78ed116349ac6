using Microsoft.Extensions.Logging;

namespace CompassCi.Grains.Logging;

/// <summary>
/// Every call into a grain that is about one job, host, cluster or queue (<see cref="GrainScopeField"/>) runs in a log
/// scope naming it, so each line the grain logs, and each line logged by what it calls in the same turn, carries the
/// field without every message having to say it. Runs on every grain call: a type test, and a scope (two small
/// allocations) only for the grains that have a field.
/// </summary>
public sealed class GrainLogScopeFilter(ILogger<GrainLogScopeFilter> logger) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return GrainScopeField.For(context.Grain.GetType()) is { } field ? InvokeInScopeAsync(context, field) : context.Invoke();
    }

    private async Task InvokeInScopeAsync(IIncomingGrainCallContext context, string field)
    {
        // Scopes are shared by every logger of the factory: opening it on this one covers the grain's own loggers too.
        using (logger.BeginScope(LogScope.Of(field, context.TargetId.Key.ToString())))
        {
            await context.Invoke();
        }
    }
}
