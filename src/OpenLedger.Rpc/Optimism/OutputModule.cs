using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Rollup;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Optimism;

/// <summary>
/// op-node's <c>optimism_outputAtBlock</c> on the node itself: {version, outputRoot, blockRef, withdrawalStorageRoot,
/// stateRoot, syncStatus}, with op-node's field names and number forms (block refs carry plain JSON numbers, as
/// op-node's L2BlockRef does). syncStatus holds the L2 heads this node knows (unsafe_l2, safe_l2, finalized_l2 and
/// op-node's cross_unsafe_l2/local_safe_l2 aliases); the L1 views (current_l1, head_l1, ...) are left out: the node's
/// RPC does not read L1.
/// </summary>
public static class OutputModule
{
    /// <param name="genesisL1">The L1 block the rollup genesis is anchored to (block 0's l1origin); null on a plain chain.</param>
    public static void Register(RpcMethodRegistry r, Blockchain chain, BlockId? genesisL1)
    {
        r.Add("optimism_outputAtBlock", p =>
        {
            p.ExpectAtMost(1);
            ulong number = p.Quantity(0, "blockNumber");
            L2Output? output;
            try { output = OutputRoot.At(chain, number); }
            catch (InvalidOperationException e) { throw new RpcException(RpcErrorCodes.ServerError, e.Message); }
            if (output is null) throw new RpcException(RpcErrorCodes.ServerError, $"failed to get L2 block ref with sync status: block #{number} not found");
            return new JsonObject
            {
                ["version"] = OutputRoot.Version0.ToString(),
                ["outputRoot"] = output.Root.ToString(),
                ["blockRef"] = BlockRef(chain, output.Header, genesisL1),
                ["withdrawalStorageRoot"] = output.MessagePasserStorageRoot.ToString(),
                ["stateRoot"] = output.StateRoot.ToString(),
                ["syncStatus"] = SyncStatus(chain, genesisL1),
            };
        });
    }

    /// <summary>op-node's L2BlockRef JSON: hash, number, parentHash, timestamp, l1origin {hash, number}, sequenceNumber.</summary>
    public static JsonObject BlockRef(Blockchain chain, BlockHeader header, BlockId? genesisL1)
    {
        var hash = header.Hash;
        var info = header.Number == 0 ? null : chain.Store.GetBlock(hash) is { } b ? L1BlockInfo.FromBlock(b) : null;
        var origin = info is { } i ? new JsonObject { ["hash"] = i.Hash.ToString(), ["number"] = i.Number }
            : genesisL1 is { } g ? new JsonObject { ["hash"] = g.Hash.ToString(), ["number"] = g.Number }
            : new JsonObject { ["hash"] = Primitives.Hash256.Zero.ToString(), ["number"] = 0 };
        return new JsonObject
        {
            ["hash"] = hash.ToString(),
            ["number"] = header.Number,
            ["parentHash"] = header.ParentHash.ToString(),
            ["timestamp"] = header.Timestamp,
            ["l1origin"] = origin,
            ["sequenceNumber"] = info?.SequenceNumber ?? 0,
        };
    }

    private static JsonObject SyncStatus(Blockchain chain, BlockId? genesisL1) => new()
    {
        ["unsafe_l2"] = BlockRef(chain, chain.Head, genesisL1),
        ["cross_unsafe_l2"] = BlockRef(chain, chain.Head, genesisL1),
        ["local_safe_l2"] = BlockRef(chain, chain.Safe, genesisL1),
        ["safe_l2"] = BlockRef(chain, chain.Safe, genesisL1),
        ["finalized_l2"] = BlockRef(chain, chain.Finalized, genesisL1),
    };
}

/// <summary>An L1 block by number and hash.</summary>
public readonly record struct BlockId(ulong Number, Primitives.Hash256 Hash);
