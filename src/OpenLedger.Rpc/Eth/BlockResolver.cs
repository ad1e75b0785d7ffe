using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// Block tags and EIP-1898 block references. "safe" and "finalized" are the chain's safe and finalized heads (derived
/// from L1; genesis until derivation sets them); "pending" reads the head state.
/// </summary>
public sealed class BlockResolver(Blockchain chain)
{
    public BlockHeader Resolve(RpcParams p, int index, string name = "block")
    {
        if (!p.Has(index)) return chain.Head;
        var e = p[index];
        if (e.ValueKind == JsonValueKind.String) return ResolveTag(e.GetString()!, index, name);
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("blockHash", out var bh))
            {
                if (bh.ValueKind != JsonValueKind.String || !Hash256.TryParse(bh.GetString(), out var hash))
                    throw RpcException.InvalidParams($"invalid argument {index} ({name}): blockHash must be 32 bytes of hex");
                return chain.Store.GetHeader(hash) ?? throw new RpcException(RpcErrorCodes.ServerError, $"header for hash {hash} not found");
            }
            if (e.TryGetProperty("blockNumber", out var bn) && bn.ValueKind == JsonValueKind.String)
                return ResolveTag(bn.GetString()!, index, name);
        }
        throw RpcException.InvalidParams($"invalid argument {index} ({name}): block number, tag or {{blockHash}} expected");
    }

    /// <summary>A block number or tag; null when the number is past the head.</summary>
    public BlockHeader? TryResolveNumber(RpcParams p, int index, string name = "block")
    {
        var s = p.RequiredString(index, name);
        return ParseTag(s, index, name) is { } n ? chain.Store.GetHeader(n) : null;
    }

    private BlockHeader ResolveTag(string s, int index, string name)
    {
        var n = ParseTag(s, index, name);
        if (n is null) return chain.Head;
        return chain.Store.GetHeader(n.Value) ?? throw new RpcException(RpcErrorCodes.ServerError, "header not found");
    }

    /// <summary>The block number a tag stands for (head tags resolve to the current head).</summary>
    public ulong? ParseTag(string s, int index, string name) => s switch
    {
        "latest" or "pending" => chain.Head.Number,
        "safe" => chain.Safe.Number,
        "finalized" => chain.Finalized.Number,
        "earliest" => 0,
        _ => RpcHex.TryParseQuantity(s, out var n)
            ? n
            : throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex block number or one of latest, earliest, pending, safe, finalized expected"),
    };
}
