namespace CompassCi.Contracts.Jobs;

/// <summary>
/// A query the scheduler refuses (HTTP 400): <see cref="Field"/> names the field at fault as the REST API names it
/// (<c>limit</c>, <c>after</c>, <c>job_stage</c>) and <see cref="Problem"/> says what is wrong with it.
/// <see cref="IJobsGrain.List"/> throws it.
/// </summary>
[GenerateSerializer, Alias("CompassCi.InvalidQueryException.v1")]
public sealed class InvalidQueryException : Exception
{
    /// <summary>A refusal of <paramref name="field"/> for <paramref name="problem"/>.</summary>
    public InvalidQueryException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>A refusal with no field.</summary>
    public InvalidQueryException()
        : this("query", "is not valid")
    {
    }

    /// <summary>A refusal with a message only.</summary>
    public InvalidQueryException(string message)
        : this("query", message)
    {
    }

    /// <summary>A refusal caused by another failure.</summary>
    public InvalidQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "query";
        Problem = message;
    }

    /// <summary>The field at fault.</summary>
    [Id(0)] public string Field { get; private set; }

    /// <summary>What is wrong with it.</summary>
    [Id(1)] public string Problem { get; private set; }
}
