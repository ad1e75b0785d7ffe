using OpenLedger.Tools.StateTests;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Evm.Tests;

/// <summary>
/// A quick, representative slice of GeneralStateTests on Cancun (the full folder runs with
/// `openledger statetest`, see docs/ARCHITECTURE.md). Each directory must pass completely.
/// </summary>
public class StateTestSubsetTests
{
    public static TheoryData<string> Directories =>
    [
        "stExample", "stChainId", "stSLoadTest", "stSStoreTest", "stReturnDataTest", "stMemoryTest", "stRefundTest",
        "stCreate2", "stEIP150Specific", "stSelfBalance", "stShift", "stTransactionTest", "stEIP2930", "stEIP1559",
        "Cancun", "Shanghai", "Pyspecs/cancun",
        "VMTests/vmArithmeticTest", "VMTests/vmBitwiseLogicOperation", "VMTests/vmIOandFlowOperations", "VMTests/vmLogTest",
    ];

    [Theory]
    [MemberData(nameof(Directories))]
    public void Directory_passes_on_Cancun(string directory)
    {
        var path = Path.Combine(TestPaths.EthereumTests, "GeneralStateTests", directory);
        var (results, _) = StateTestSuite.Run(StateTestSuite.CollectFiles([path]), ForkSpec.Cancun);
        Assert.NotEmpty(results);
        var failures = results.Where(r => !r.Pass).Select(r => $"{r.Name}[{r.Index}]: {r.Error}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {results.Count} failed:\n" + string.Join('\n', failures.Take(20)));
    }
}
