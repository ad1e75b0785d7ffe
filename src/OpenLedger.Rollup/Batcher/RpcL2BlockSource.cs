using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using static OpenLedger.Rollup.L1.JsonRpcHex;

namespace OpenLedger.Rollup.Batcher;

/// <summary>
/// Reads L2 blocks from the sequencer over JSON-RPC (Nethereum's client). Each block must start with the L1
/// attributes deposit, whose calldata names the L1 origin; the other transactions are re-encoded from their JSON
/// fields (types 0, 1, 2) and checked against the hash the node reports.
/// </summary>
public sealed class RpcL2BlockSource(IClient client) : IL2BlockSource
{
    private int _id;

    public static RpcL2BlockSource Create(string url) => new(new RpcClient(new Uri(url)));

    private Task<JToken?> CallAsync(string method, params object[] args) =>
        client.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args));

    public async Task<ulong> HeadNumberAsync(CancellationToken ct = default)
    {
        var n = await CallAsync("eth_blockNumber").ConfigureAwait(false);
        return U64(new JObject { ["n"] = n }, "n");
    }

    public async Task<L2BlockData?> BlockAsync(ulong number, CancellationToken ct = default)
    {
        var b = await CallAsync("eth_getBlockByNumber", Quantity(number), true).ConfigureAwait(false);
        if (b is null || b.Type == JTokenType.Null) return null;
        var txs = (JArray?)b["transactions"] ?? [];
        // Genesis has no L1 attributes deposit; its origin is the rollup config's genesis L1 (the batcher fills it in).
        if (number == 0 && txs.Count == 0)
            return new L2BlockData(Hash(b, "hash"), 0, Hash(b, "parentHash"), U64(b, "timestamp"), default, 0, []);
        if (txs.Count == 0 || Str(txs[0], "type") is not ("0x7e" or "0x7E"))
            throw new FormatException($"L2 block {number} does not start with the L1 attributes deposit: is the node running as a rollup sequencer?");
        var info = Chain.Rollup.L1BlockInfo.Decode(Data(txs[0], "input"));
        var seqTxs = new List<byte[]>();
        foreach (var t in txs.Skip(1))
        {
            if (t["type"] is { } ty && ty.Value<string>() is "0x7e" or "0x7E") continue; // user deposits come from L1, not from batches
            var raw = TransactionFromJson(t);
            seqTxs.Add(raw);
        }
        return new L2BlockData(Hash(b, "hash"), U64(b, "number"), Hash(b, "parentHash"), U64(b, "timestamp"),
            new BlockId(info.Hash, info.Number), info.SequenceNumber, seqTxs);
    }

    /// <summary>The EIP-2718 encoding of a transaction from its JSON-RPC fields, checked against its reported hash.</summary>
    public static byte[] TransactionFromJson(JToken t)
    {
        byte type = t["type"] is null ? (byte)0 : (byte)U64(t, "type");
        if (type > 2) throw new FormatException($"transaction {t["hash"]}: type {type} cannot go into a batch");
        var tx = new Transaction
        {
            Type = (TxType)type,
            Nonce = U64(t, "nonce"),
            GasLimit = U64(t, "gas"),
            To = t["to"] is { Type: JTokenType.String } ? Addr(t, "to") : null,
            Value = U256(t, "value"),
            Data = Data(t, "input"),
            V = U256(t, "v"),
            R = U256(t, "r"),
            S = U256(t, "s"),
        };
        if (type == 2)
        {
            tx.MaxPriorityFeePerGas = U256(t, "maxPriorityFeePerGas");
            tx.MaxFeePerGas = U256(t, "maxFeePerGas");
        }
        else tx.GasPrice = U256(t, "gasPrice");
        if (type != 0)
        {
            tx.ChainId = U64(t, "chainId");
            tx.AccessList = ((JArray?)t["accessList"] ?? []).Select(a => new AccessListItem(Addr(a, "address"),
                ((JArray?)a["storageKeys"] ?? []).Select(k => Hash256.Parse(k.Value<string>()!)).ToList())).ToList();
        }
        else if (Transaction.TryLegacyChainId(tx.V, out var id, out _)) tx.ChainId = id;
        var raw = tx.Encode();
        var expected = Hash(t, "hash");
        if (Keccak256.Compute(raw) != expected) throw new FormatException($"transaction {expected}: re-encoding from its JSON fields gives another hash");
        return raw;
    }
}
