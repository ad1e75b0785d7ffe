using Nethereum.JsonRpc.Client;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// The devnet's op-node rollup.json: the L2 genesis anchored to the devnet's L1 anchor, the batcher, fee scalars and
/// addresses of the SystemConfig, batch inbox and portal DeployL1 made. The sequencer derives its safe head with it,
/// and the batcher and the replica read the same file, so all three agree on every rule.
/// </summary>
public static class DevnetRollupConfig
{
    /// <summary>L1 blocks a channel may take (Granite's 50 applies from genesis here) and the sequencing window.</summary>
    private const ulong SequencingWindow = 3600, ChannelTimeout = 50;

    /// <summary>
    /// The rollup config, or null when the L1 deployment lacks the rollup contracts (no checkout, an older DeployL1).
    /// The batcher and fee scalars are read from the L1 SystemConfig, so they are what derivation will read from L1.
    /// </summary>
    public static async Task<RollupConfig?> CreateAsync(string l1RpcUrl, IReadOnlyDictionary<string, string>? l1, DevnetAnchor anchor,
        Hash256 l2Genesis, ulong l2GenesisTime, ulong l2GasLimit, ulong l2ChainId, ulong blockTimeSeconds, CancellationToken ct)
    {
        if (Get(l1, "SystemConfig") is not { } systemConfig || Get(l1, "BatchInbox") is not { } inbox || Get(l1, "OpenPortal") is not { } portal) return null;
        var client = new RpcClient(new Uri(l1RpcUrl));
        var batcher = (Address)(await CallAsync(client, systemConfig, "batcher()", "(address)"))[0]!;
        var baseFeeScalar = (uint)(ulong)(UInt256)(await CallAsync(client, systemConfig, "basefeeScalar()", "(uint32)"))[0]!;
        var blobBaseFeeScalar = (uint)(ulong)(UInt256)(await CallAsync(client, systemConfig, "blobbasefeeScalar()", "(uint32)"))[0]!;
        // The L1 data fee's conversion rate (zero until governance sets one: no L1 data fee is charged).
        var gasTokenPerEth = (UInt256)(await CallAsync(client, systemConfig, "gasTokenPerEth()", "(uint256)"))[0]!;
        ulong l1ChainId = Convert.ToUInt64(await client.SendRequestAsync<string>(new RpcRequest(1, "eth_chainId")), 16);
        ct.ThrowIfCancellationRequested();
        return new RollupConfig
        {
            GenesisL1 = new BlockId(anchor.Hash, anchor.Number),
            GenesisL2 = new BlockId(l2Genesis, 0),
            GenesisL2Time = l2GenesisTime,
            GenesisSystemConfig = new SystemConfig(batcher, Hash256.Zero, SystemConfig.EcotoneScalar(baseFeeScalar, blobBaseFeeScalar), l2GasLimit) { GasTokenPerEth = gasTokenPerEth },
            BlockTime = blockTimeSeconds,
            MaxSequencerDrift = ProtocolConstants.MaxSequencerDriftFjord,
            SeqWindowSize = SequencingWindow,
            ChannelTimeout = ChannelTimeout,
            L1ChainId = l1ChainId,
            L2ChainId = l2ChainId,
            BatchInboxAddress = inbox,
            DepositContractAddress = portal,
            L1SystemConfigAddress = systemConfig,
            FjordTime = 0,
            GraniteTime = 0,
        };
    }

    /// <summary>Writes rollup.json atomically (the replica's and `openledger batcher`'s --rollup-config).</summary>
    public static void Write(RollupConfig config, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", RollupConfigJson.Serialize(config));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static Address? Get(IReadOnlyDictionary<string, string>? l1, string name) =>
        l1 is not null && l1.TryGetValue(name, out var s) && Address.TryParse(s, out var a) ? a : null;

    private static async Task<object?[]> CallAsync(RpcClient client, Address to, string signature, string outputs)
    {
        var f = AbiFunction.FromSignature(signature, outputs);
        var hex = await client.SendRequestAsync<string>(new RpcRequest(1, "eth_call",
            new Dictionary<string, object> { ["to"] = to.ToString(), ["data"] = Hex.Encode(f.EncodeCall()) }, "latest"));
        return f.DecodeOutput(Hex.Decode(hex));
    }
}
