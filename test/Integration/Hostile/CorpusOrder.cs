using Xunit.Sdk;
using Xunit.v3;

namespace CompassCi.Tests.Integration.Hostile;

/// <summary>The corpus's cases in file order (their display names start with their number), and the health check after them all.</summary>
public sealed class CorpusOrder : ITestCaseOrderer, ITestMethodOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases)
        where TTestCase : notnull, ITestCase =>
        [.. testCases.OrderBy(t => t.TestCaseDisplayName, StringComparer.Ordinal)];

    public IReadOnlyCollection<TTestMethod?> OrderTestMethods<TTestMethod>(IReadOnlyCollection<TTestMethod?> testMethods)
        where TTestMethod : notnull, ITestMethod =>
        [.. testMethods.OrderBy(m => m?.MethodName == nameof(HostileCorpusTests.Every_case_gets_a_clear_4xx_and_changes_nothing) ? 0 : 1)];
}
