using System.Globalization;

namespace CompassCi.Grains.Results;

/// <summary>
/// When a job may upload: while a testbox holds it (boot … post_run, manual_check, renew), and for
/// <see cref="ResultOptions.UploadGrace"/> after it finished (lkp-tests uploads its last files around its report of the end).
/// </summary>
public static class UploadWindow
{
    /// <summary>Why <paramref name="job"/> may not upload at <paramref name="now"/>; null when it may.</summary>
    public static string? Refusal(JobRecord job, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(job);
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        if (JobStages.IsActive(job.Stage))
        {
            return null;
        }

        if (!JobStages.IsFinal(job.Stage))
        {
            return $"job {id} is in stage '{job.Stage}': nothing runs it yet, uploads open when a testbox takes it";
        }

        var finished = DateTimeOffset.FromUnixTimeMilliseconds(job.FinishTime ?? 0);
        return now - finished <= grace
            ? null
            : $"job {id} finished at {finished.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}, more than " +
              $"{ResultOptions.Section}:{nameof(ResultOptions.UploadGrace)} ({grace.ToString("c", CultureInfo.InvariantCulture)}) ago; its uploads are closed";
    }
}
