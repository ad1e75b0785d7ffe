using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Tests;

public class RollupConfigTests
{
    private const string Hash = "0x1111111111111111111111111111111111111111111111111111111111111111";

    [Fact]
    public void FixedOrigin_IsAnExplicitStandaloneL1()
    {
        var config = NodeConfig.Parse("""
            {"genesis": {"config": {"chainId": 1}}, "sequencer": {"blockTimeMs": 2000},
             "rollup": {"fixedL1Origin": {"number": 7, "hash": "HASH", "timestamp": 100, "baseFee": 5},
                        "maxSequencerDrift": 600, "systemConfig": {"batcherAddress": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "baseFeeScalar": 1368}}}
            """.Replace("HASH", Hash), "/tmp");
        var r = config.Rollup!;
        Assert.Null(r.L1Rpc);
        Assert.Equal(7UL, r.FixedL1Origin!.Number);
        Assert.Equal(UInt256.One, r.FixedL1Origin.BlobBaseFee);
        Assert.Equal((7UL, Hash256.Parse(Hash)), (r.Sequencing.GenesisL1Number, r.Sequencing.GenesisL1Hash));
        Assert.Equal(2UL, r.Sequencing.BlockTimeSeconds);
        Assert.Equal(600UL, r.Sequencing.MaxSequencerDrift);
        Assert.Equal(3600UL, r.Sequencing.SequencingWindowSize);
        Assert.Equal(1368U, r.Sequencing.GenesisSystemConfig.BaseFeeScalar);
        Assert.Equal(SystemConfigValues.BatcherHashOf(Address.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")), r.Sequencing.GenesisSystemConfig.BatcherHash);
        Assert.IsType<FixedL1Source>(r.CreateSource());
    }

    [Fact]
    public void L1Rpc_UsesNethereum() =>
        Assert.IsType<OpenLedger.Node.L1.NethereumL1Source>(NodeConfig.Parse("""
            {"genesis": {"config": {"chainId": 1}}, "rollup": {"l1Rpc": "http://127.0.0.1:8545", "genesisL1": {"number": 0, "hash": "HASH"}}}
            """.Replace("HASH", Hash), "/tmp").Rollup!.CreateSource());

    [Theory]
    [InlineData("""{"rollup": {}}""", "exactly one L1")]
    [InlineData("""{"rollup": {"l1Rpc": "ws://x", "genesisL1": {"number": 0, "hash": "HASH"}}}""", "l1Rpc must be an http(s) URL")]
    [InlineData("""{"rollup": {"l1Rpc": "http://127.0.0.1:8545"}}""", "genesisL1")]
    [InlineData("""{"rollup": {"l1Rpc": "http://127.0.0.1:8545", "fixedL1Origin": {"number": 0, "hash": "HASH", "timestamp": 0, "baseFee": 1}}}""", "exactly one L1")]
    [InlineData("""{"rollup": {"fixedL1Origin": {"number": 0, "hash": "0x12", "timestamp": 0, "baseFee": 1}}}""", "fixedL1Origin.hash")]
    [InlineData("""{"rollup": {"fixedL1Origin": {"number": 0, "hash": "HASH", "baseFee": 1}}}""", "fixedL1Origin.timestamp")]
    [InlineData("""{"rollup": {"fixedL1Origin": {"number": 0, "hash": "HASH", "timestamp": 0, "baseFee": 1}, "sequencingWindowSize": 0}}""", "sequencingWindowSize")]
    [InlineData("""{"rollup": {"fixedL1Origin": {"number": 0, "hash": "HASH", "timestamp": 0, "baseFee": 1}, "drift": 1}}""", "unknown field 'drift'")]
    [InlineData("""{"sequencer": {"blockTimeMs": 1500}, "rollup": {"fixedL1Origin": {"number": 0, "hash": "HASH", "timestamp": 0, "baseFee": 1}}}""", "whole number of seconds")]
    [InlineData("""{"rollup": {"fixedL1Origin": {"number": 0, "hash": "HASH", "timestamp": 0, "baseFee": 1}, "systemConfig": {"baseFeeScalar": 4294967296}}}""", "fit 32 bits")]
    public void BadRollupSection_NamesWhatIsWrong(string rest, string expected)
    {
        var json = """{"genesis": {"config": {"chainId": 1}}, """ + rest.Replace("HASH", Hash)[1..];
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Parse(json, "/tmp"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task RollupGenesis_WithoutL1Block_IsRefused()
    {
        var config = NodeConfig.Parse("""
            {"genesis": {"config": {"chainId": 1}}, "rpc": {"port": 0},
             "rollup": {"fixedL1Origin": {"number": 0, "hash": "HASH", "timestamp": 0, "baseFee": 1}}}
            """.Replace("HASH", Hash), "/tmp");
        var e = await Assert.ThrowsAsync<ConfigException>(() => NodeHost.StartAsync(config, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Contains("no L1Block predeploy", e.Message);
    }
}
