using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>`openledger bench rpc` end to end at a tiny size: both nodes, both workloads, the ratio lines.</summary>
public sealed class BenchRpcTests(ITestOutputHelper log)
{
    [Fact]
    public async Task BenchRpc_SmallRun_MeasuresBothNodesAndPrintsRatios()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "openledger.dll");
        var (code, output) = await L2NodeFixture.RunToolAsync("dotnet",
            [dll, "bench", "rpc", "--transfers", "300", "--erc20", "150", "--warmup", "60", "--senders", "20", "--concurrency", "8", "--window", "100"], TimeSpan.FromMinutes(4));
        log.WriteLine(output);
        Assert.True(code == 0, $"bench rpc exited with {code}:\n{output}");
        foreach (var expected in new[] { "openledger (100 ms blocks)       transfer", "openledger (100 ms blocks)       erc20-transfer",
                     "anvil 1.7.1 (100 ms blocks)      transfer", "anvil 1.7.1 (100 ms blocks)      erc20-transfer",
                     "ratio transfer: openledger/anvil = ", "ratio erc20-transfer: openledger/anvil = ", "openledger ERC-20: " })
            Assert.Contains(expected, output);
        Assert.Contains("CPU ms/1k tx", output);
        Assert.DoesNotContain("stall diagnosis", output);
        _ = TestPaths.RepoRoot;
    }

    [Theory]
    [InlineData("--senders 1", "--senders must be 2..2000")]
    [InlineData("--window 0", "--window must be 1..1000000")]
    [InlineData("--gas-limit 5", "--gas-limit must be 1000000..10000000000")]
    [InlineData("--warmup -1", "--warmup must be 0 or more")]
    [InlineData("--no-anvil --anvil-only", "--no-anvil and --anvil-only exclude each other")]
    public async Task BenchRpc_BadArguments_ExitTwo(string args, string message)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "openledger.dll");
        var (code, output) = await L2NodeFixture.RunToolAsync("dotnet", [dll, "bench", "rpc", .. args.Split(' ')], TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }
}
