using OpenLedger.Tools.StateTests;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Evm.Tests;

/// <summary>
/// EEST's Osaka state tests for what the EVM itself implements: CLZ (EIP-7939), the transaction gas cap (EIP-7825,
/// including set-code transactions) and the per-transaction blob limit (EIP-7594). The whole folder runs with
/// `openledger statetest --fork Osaka`; the precompile folders (P256VERIFY, modexp bounds and pricing) belong to the
/// precompile implementations.
/// </summary>
public class EestOsakaSubsetTests
{
    public static TheoryData<string> Directories =>
    [
        "eip7939_count_leading_zeros", "eip7825_transaction_gas_limit_cap", "eip7594_peerdas",
    ];

    [Theory]
    [MemberData(nameof(Directories))]
    public void Directory_passes_on_Osaka(string directory)
    {
        var path = Path.Combine(TestPaths.EestOsaka, "state_tests", "osaka", directory);
        var (results, _) = StateTestSuite.Run(StateTestSuite.CollectFiles([path]), ForkSpec.Osaka);
        Assert.NotEmpty(results);
        var failures = results.Where(r => !r.Pass).Select(r => $"{r.Name}[{r.Index}]: {r.Error}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {results.Count} failed:\n" + string.Join('\n', failures.Take(20)));
    }
}
