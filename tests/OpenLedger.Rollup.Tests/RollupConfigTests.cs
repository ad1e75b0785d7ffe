using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Tests.Support;

namespace OpenLedger.Rollup.Tests;

public class RollupConfigTests
{
    private const string Sample = """
    {
      "genesis": {
        "l1": { "hash": "0x438335a20d98863a4c0c97999eb2481921ccd28553eac6f913af7c12aec04108", "number": 17422590 },
        "l2": { "hash": "0xdbf6a80fef073de06add9b0d14026d6e5a86c85f6d102c36d3d8e9cf89c2afd3", "number": 105235063 },
        "l2_time": 1686068903,
        "system_config": {
          "batcherAddr": "0x6887246668a3b87f54deb3b94ba47a6f63f32985",
          "overhead": "0x0000000000000000000000000000000000000000000000000000000000000000",
          "scalar": "0x010000000000000000000000000000000000000000000000000c5fc500000558",
          "gasLimit": 30000000
        }
      },
      "block_time": 2,
      "max_sequencer_drift": 600,
      "seq_window_size": 3600,
      "channel_timeout": 300,
      "l1_chain_id": 1,
      "l2_chain_id": 10,
      "regolith_time": 0, "canyon_time": 0, "delta_time": 0, "ecotone_time": 0, "fjord_time": 0,
      "granite_time": 1726070401,
      "batch_inbox_address": "0xff00000000000000000000000000000000000010",
      "deposit_contract_address": "0xbeb5fc579115071764c7423a4f12edde41f106ed",
      "l1_system_config_address": "0x229047fed2591dbec1ef1118d64f7af3db9eb290",
      "protocol_versions_address": "0x8062abc286f5e7d9428a0ccb9abd71e50d93b935"
    }
    """;

    [Fact]
    public void Op_node_rollup_json_parses_and_round_trips()
    {
        var c = RollupConfigJson.Parse(Sample);
        Assert.Equal(17422590UL, c.GenesisL1.Number);
        Assert.Equal(105235063UL, c.GenesisL2.Number);
        Assert.Equal(2UL, c.BlockTime);
        Assert.Equal(Address.Parse("0x6887246668a3b87f54deb3b94ba47a6f63f32985"), c.GenesisSystemConfig.BatcherAddress);
        Assert.Equal(1368u, c.GenesisSystemConfig.BaseFeeScalar);
        Assert.Equal(810949u, c.GenesisSystemConfig.BlobBaseFeeScalar);
        Assert.Equal(300UL, c.ChannelTimeoutAt(1726070400));
        Assert.Equal(50UL, c.ChannelTimeoutAt(1726070401));
        Assert.Equal(1800UL, c.MaxSequencerDriftAt(0));
        Assert.Equal(c, RollupConfigJson.Parse(RollupConfigJson.Serialize(c)));
        Assert.Equal(UInt256.Zero, c.GenesisSystemConfig.GasTokenPerEth); // op-node's file has no rate: no L1 data fee

        // Ours: genesis.system_config.gasTokenPerEth, decimal or hex, round-trips; anything else names the field.
        var rated = RollupConfigJson.Parse(Sample.Replace("\"gasLimit\": 30000000", "\"gasLimit\": 30000000, \"gasTokenPerEth\": \"4000000000000000000000\""));
        Assert.Equal(UInt256.Parse("4000000000000000000000"), rated.GenesisSystemConfig.GasTokenPerEth);
        Assert.Equal(rated, RollupConfigJson.Parse(RollupConfigJson.Serialize(rated)));
        Assert.Contains("genesis.system_config.gasTokenPerEth", Assert.Throws<RollupConfigException>(() =>
            RollupConfigJson.Parse(Sample.Replace("\"gasLimit\": 30000000", "\"gasLimit\": 30000000, \"gasTokenPerEth\": 5"))).Message);
    }

    [Theory]
    [InlineData("\"block_time\": 2,", "\"block_time\": 0,", "block_time must be positive")]
    [InlineData("\"block_time\": 2,", "\"block_time\": -2,", "block_time must be an unsigned")]
    [InlineData("\"block_time\": 2,", "", "missing block_time")]
    [InlineData("\"l2_chain_id\": 10,", "\"l2_chain_id\": 10, \"extra\": 1,", "unknown field \"extra\"")]
    [InlineData("\"fjord_time\": 0", "\"fjord_time\": 1786068903", "fjord_time must be at or before genesis")]
    [InlineData("\"granite_time\": 1726070401,", "\"granite_time\": 1726070401, \"holocene_time\": 1,", "holocene_time")]
    [InlineData("0xff00000000000000000000000000000000000010", "0xff0000", "batch_inbox_address is not a 20-byte hex address")]
    [InlineData("\"gasLimit\": 30000000", "\"gasLimit\": \"lots\"", "genesis.system_config.gasLimit")]
    [InlineData("0x010000000000000000000000000000000000000000000000000c5fc500000558", "0x020000000000000000000000000000000000000000000000000c5fc500000558", "scalar")]
    public void Bad_configs_name_the_field(string from, string to, string expected)
    {
        Assert.Contains(from, Sample);
        var e = Assert.Throws<RollupConfigException>(() => RollupConfigJson.Parse(Sample.Replace(from, to)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Not_json_is_a_config_error()
    {
        Assert.Throws<RollupConfigException>(() => RollupConfigJson.Parse("{"));
        Assert.Throws<RollupConfigException>(() => RollupConfigJson.Parse("[]"));
        Assert.Throws<RollupConfigException>(() => RollupConfigJson.Load("/nonexistent/rollup.json"));
    }

    [Fact]
    public void System_config_updates_from_L1_logs()
    {
        var sys = TestConfig.Create().GenesisSystemConfig;
        static byte[] AbiBytes(byte[] inner)
        {
            var d = new byte[64 + (inner.Length + 31) / 32 * 32];
            d[31] = 32;
            new UInt256((ulong)inner.Length).ToBigEndian().CopyTo(d, 32);
            inner.CopyTo(d, 64);
            return d;
        }
        Hash256 Type(byte t) { var b = new byte[32]; b[31] = t; return new Hash256(b); }
        var newBatcher = Address.Parse("0x90f79bf6eb2c4f893365e785982e1f3e6b3bc2cd");
        var word = new byte[32];
        newBatcher.Bytes.CopyTo(word.AsSpan(12));
        var log = new Derivation.L1Log(Address.Zero, [Derivation.SystemConfigUpdate.EventTopic, Hash256.Zero, Type(0)], AbiBytes(word));
        Assert.Equal(newBatcher, Derivation.SystemConfigUpdate.Apply(sys, log).BatcherAddress);
        var gas = new byte[32];
        gas[29] = 0x01; // 65536
        Assert.Equal(65536UL, Derivation.SystemConfigUpdate.Apply(sys, log with { Topics = [log.Topics[0], Hash256.Zero, Type(2)], Data = AbiBytes(gas) }).GasLimit);
        // Ours: type 8, the gas token rate of the L1 data fee (abi.encode(uint256)); carried into the L1 attributes.
        var rate = UInt256.Parse("4000000000000000000000");
        var rated = Derivation.SystemConfigUpdate.Apply(sys, log with { Topics = [log.Topics[0], Hash256.Zero, Type(8)], Data = AbiBytes(rate.ToBigEndian()) });
        Assert.Equal(rate, rated.GasTokenPerEth);
        Assert.Equal(rate, rated.ToL1AttributesValues().GasTokenPerEth);
        Assert.Equal(sys.BaseFeeScalar, rated.BaseFeeScalar);
        Assert.Contains("gas token rate", Assert.Throws<FormatException>(() => Derivation.SystemConfigUpdate.Apply(sys, log with { Topics = [log.Topics[0], Hash256.Zero, Type(8)], Data = AbiBytes([1]) })).Message);
        Assert.Throws<FormatException>(() => Derivation.SystemConfigUpdate.Apply(sys, log with { Topics = [log.Topics[0], Hash256.Zero, Type(9)] }));
        Assert.Throws<FormatException>(() => Derivation.SystemConfigUpdate.Apply(sys, log with { Data = [1, 2, 3] }));
    }
}
