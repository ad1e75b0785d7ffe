using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.TxPool;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Modules;

/// <summary>txpool_status and txpool_content, in geth's shapes.</summary>
public static class TxPoolModule
{
    public static void Register(RpcMethodRegistry r, Blockchain chain)
    {
        r.Add("txpool_status", p =>
        {
            p.ExpectAtMost(0);
            var (pending, queued) = chain.Pool.Status();
            return new JsonObject { ["pending"] = RpcFormat.Q((ulong)pending), ["queued"] = RpcFormat.Q((ulong)queued) };
        });
        r.Add("txpool_content", p =>
        {
            p.ExpectAtMost(0);
            var (pending, queued) = chain.Pool.Content();
            return new JsonObject { ["pending"] = Group(pending), ["queued"] = Group(queued) };
        });
        r.Add("txpool_inspect", p =>
        {
            p.ExpectAtMost(0);
            var (pending, queued) = chain.Pool.Content();
            return new JsonObject { ["pending"] = Summaries(pending), ["queued"] = Summaries(queued) };
        });
    }

    /// <summary>geth's one-line summary per transaction: "TO: VALUE wei + GAS gas × PRICE wei" (the fee cap for EIP-1559 transactions).</summary>
    private static JsonObject Summaries(Dictionary<OpenLedger.Primitives.Address, List<PooledTransaction>> bySender)
    {
        var o = new JsonObject();
        foreach (var (sender, txs) in bySender)
        {
            var byNonce = new JsonObject();
            foreach (var t in txs)
            {
                var tx = t.Transaction;
                var target = tx.To is { } to ? to.ToString() : "contract creation";
                byNonce[t.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                    $"{target}: {tx.Value.ToBigInteger()} wei + {tx.GasLimit} gas × {tx.FeeCap.ToBigInteger()} wei";
            }
            o[sender.ToString()] = byNonce;
        }
        return o;
    }

    private static JsonObject Group(Dictionary<OpenLedger.Primitives.Address, List<PooledTransaction>> bySender)
    {
        var o = new JsonObject();
        foreach (var (sender, txs) in bySender)
        {
            var byNonce = new JsonObject();
            foreach (var t in txs) byNonce[t.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture)] = RpcFormat.Transaction(t.Transaction, t.Hash, t.Sender, null, 0);
            o[sender.ToString()] = byNonce;
        }
        return o;
    }
}
