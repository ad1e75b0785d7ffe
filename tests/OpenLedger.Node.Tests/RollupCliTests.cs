using OpenLedger.Node.Cli;
using OpenLedger.Rollup.Config;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Tests;

/// <summary>`openledger batcher` and `bench rollup` refuse bad arguments with one error line and exit 2.</summary>
[Collection("Console")]
public class RollupCliTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        return (code, err);
    }

    private static string WriteConfig(Action<Dictionary<string, object>>? edit = null)
    {
        var c = new RollupConfig
        {
            GenesisL1 = new BlockId(Keccak256.Compute("l1"u8), 0), GenesisL2 = new BlockId(Keccak256.Compute("l2"u8), 0), GenesisL2Time = 1,
            GenesisSystemConfig = new SystemConfig(Address.Parse("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"), Hash256.Zero, SystemConfig.EcotoneScalar(1, 2), 30_000_000),
            BlockTime = 1, MaxSequencerDrift = 600, SeqWindowSize = 100, ChannelTimeout = 50, L1ChainId = 31337, L2ChainId = 1330660686,
            BatchInboxAddress = Address.Parse("0xff00000000000000000000000000000000000901"), DepositContractAddress = Address.Zero,
            L1SystemConfigAddress = Address.Zero, FjordTime = 0,
        };
        var path = Path.Combine(Path.GetTempPath(), $"rollup-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, RollupConfigJson.Serialize(c));
        return path;
    }

    [Fact]
    public void Batcher_rejects_a_missing_key_a_bad_compression_and_a_bad_config()
    {
        var cfg = WriteConfig();
        try
        {
            var (code, err) = Run("batcher", "--l1-rpc", "http://127.0.0.1:1", "--l2-rpc", "http://127.0.0.1:2", "--rollup-config", cfg, "--private-key", "0x12");
            Assert.Equal(2, code);
            Assert.Contains("32-byte hex key", err);
            (code, err) = Run("batcher", "--l1-rpc", "http://127.0.0.1:1", "--l2-rpc", "http://127.0.0.1:2", "--rollup-config", cfg,
                "--private-key", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "--compression", "lz4");
            Assert.Equal(2, code);
            Assert.Contains("--compression", err);
            (code, err) = Run("batcher", "--l1-rpc", "ftp://x", "--l2-rpc", "http://127.0.0.1:2", "--rollup-config", cfg,
                "--private-key", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
            Assert.Equal(2, code);
            Assert.Contains("--l1-rpc", err);
            // a key that is not the config's batcher
            (code, err) = Run("batcher", "--l1-rpc", "http://127.0.0.1:1", "--l2-rpc", "http://127.0.0.1:2", "--rollup-config", cfg,
                "--private-key", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
            Assert.Equal(2, code);
            Assert.Contains("rollup config's batcher", err);
            File.WriteAllText(cfg, "{ \"block_time\": 1 }");
            (code, err) = Run("batcher", "--l1-rpc", "http://127.0.0.1:1", "--l2-rpc", "http://127.0.0.1:2", "--rollup-config", cfg,
                "--private-key", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
            Assert.Equal(2, code);
            Assert.Contains("missing genesis", err);
        }
        finally { File.Delete(cfg); }
    }

    [Fact]
    public void Bench_rollup_rejects_out_of_range_arguments()
    {
        var (code, err) = Run("bench", "rollup", "--txs", "5");
        Assert.Equal(2, code);
        Assert.Contains("--txs", err);
    }
}
