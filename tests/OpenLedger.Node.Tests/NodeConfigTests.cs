using OpenLedger.Node.Hosting;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests;

public class NodeConfigTests
{
    [Fact]
    public void ExampleConfig_Loads_WithItsGenesis()
    {
        var config = NodeConfig.Load(Path.Combine(TestPaths.RepoRoot, "deploy", "node.example.json"));
        Assert.Equal(1330660686UL, config.Genesis.Config.ChainId);
        Assert.Equal(9545, config.RpcPort);
        Assert.Equal(TimeSpan.FromSeconds(1), config.BlockTime);
        Assert.EndsWith(Path.Combine(".data", "l2"), config.DataDir);
        Assert.Equal(2, config.Genesis.Alloc.Count); // a dev account and the EIP-2935 history contract (Prague from genesis)
    }

    [Theory]
    [InlineData("""{"genesis": {"config": {"chainId": 1}}, "rpcc": {}}""", "unknown field 'rpcc'")]
    [InlineData("""{"datadir": "x"}""", "config.genesis is required")]
    [InlineData("""{"genesis": {"config": {"chainId": 0}}}""", "chainId must not be 0")]
    [InlineData("""{"genesis": {"config": {"chainId": 1, "osakaTime": 0}}}""", "config.pragueTime is missing")]
    [InlineData("""{"genesis": {"config": {"chainId": 1, "fooTime": 0}}}""", "unknown fork 'foo'")]
    [InlineData("""{"genesis": {"config": {"chainId": 1}}, "rpc": {"port": 70000}}""", "config.rpc.port")]
    [InlineData("""{"genesis": {"config": {"chainId": 1}}, "sequencer": {"blockTimeMs": -1}}""", "blockTimeMs")]
    [InlineData("""{"genesis": {"config": {"chainId": 1}, "alloc": {"0x12": {}}}}""", "bad address")]
    [InlineData("""{"genesis": {"config": {"chainId": 1}, "alloc": {"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266": {"balance": "lots"}}}}""", "balance")]
    [InlineData("not json", "not valid JSON")]
    public void BadConfig_NamesWhatIsWrong(string json, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Parse(json, "/tmp"));
        Assert.Contains(expected, e.Message);
    }
}
