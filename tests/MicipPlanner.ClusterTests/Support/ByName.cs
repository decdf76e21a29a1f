using Xunit.Abstractions;
using Xunit.Sdk;

namespace MicipPlanner.ClusterTests.Support;

/// <summary>Runs a class's tests in the order of their names, so that the test that kills an instance comes last.</summary>
public sealed class ByName : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
