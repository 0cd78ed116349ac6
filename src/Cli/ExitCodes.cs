namespace CompassCi.Cli;

/// <summary>cci's exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for <c>watch</c> and <c>submit -m</c>: every job followed ended in success.</summary>
    public const int Ok = 0;

    /// <summary>The server refused (its message on stderr), could not be reached, or a followed job ended other than success.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong (an unknown option, a missing argument, a bad value).</summary>
    public const int Usage = 2;

    /// <summary>The job, host or cluster asked about does not exist (a 404).</summary>
    public const int NotFound = 3;
}
