using Microsoft.Extensions.Options;

namespace CompassCi.Grains.Configuration;

/// <summary>Runs an <see cref="ICheckedOptions"/> class's own checks when the options are first read (at start, with <c>ValidateOnStart</c>).</summary>
public sealed class CheckedOptionsValidator<T> : IValidateOptions<T>
    where T : class, ICheckedOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Check().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
