namespace CompassCi.Tests.Integration.Results;

/// <summary>Settings the results tests give their silos.</summary>
internal static class ResultsSettings
{
    /// <summary>The folder uploads go to (ResultOptions.Root), as an environment variable.</summary>
    public const string RootKey = "CompassCi__Results__Root";
}
