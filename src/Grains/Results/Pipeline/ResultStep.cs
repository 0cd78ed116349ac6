using System.Text.Json.Nodes;

namespace CompassCi.Grains.Results.Pipeline;

/// <summary>One row of <c>result_steps</c>: a step of a job's results pipeline and how far it got.</summary>
public sealed record ResultStep(long JobId, int Position, string Step, string State, int Attempts, string? LastError, JsonObject? Output, long UpdatedAt);
