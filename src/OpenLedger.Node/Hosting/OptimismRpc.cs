using OpenLedger.Chain;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// op-node's <c>optimism_*</c> RPC namespace, served on the node's own port: <c>optimism_syncStatus</c> in op-node's
/// shape (op-service/eth/sync_status.go: snake_case fields, L1 refs {hash, number, parentHash, timestamp}, L2 refs adding
/// {l1origin {hash, number}, sequenceNumber}; a ref not known yet is all zeros, as op-node writes it).
/// </summary>
public static class OptimismRpc
{
    public static void Register(RpcMethodRegistry r, Blockchain chain, RollupDerivation derivation)
    {
        r.Add("optimism_syncStatus", p =>
        {
            p.ExpectAtMost(0);
            var l1 = derivation.L1;
            var engine = derivation.Engine;
            var unsafeHead = engine.BlockByHeader(chain.Head);
            var safe = engine.SafeHead;
            return new Dictionary<string, object?>
            {
                ["current_l1"] = L1Ref(l1.Current),
                ["current_l1_finalized"] = L1Ref(l1.Finalized),
                ["head_l1"] = L1Ref(l1.Head),
                ["safe_l1"] = L1Ref(l1.Safe),
                ["finalized_l1"] = L1Ref(l1.Finalized),
                ["unsafe_l2"] = L2Ref(unsafeHead),
                ["safe_l2"] = L2Ref(safe),
                ["finalized_l2"] = L2Ref(engine.FinalizedHead),
                ["pending_safe_l2"] = L2Ref(safe),
                ["cross_unsafe_l2"] = L2Ref(unsafeHead),
                ["local_safe_l2"] = L2Ref(safe),
            };
        });
    }

    private static Dictionary<string, object> L1Ref(L1BlockRef? b) => new()
    {
        ["hash"] = (b?.Hash ?? default).ToString(),
        ["number"] = b?.Number ?? 0,
        ["parentHash"] = (b?.ParentHash ?? default).ToString(),
        ["timestamp"] = b?.Time ?? 0,
    };

    private static Dictionary<string, object> L2Ref(L2BlockRef b) => new()
    {
        ["hash"] = b.Hash.ToString(),
        ["number"] = b.Number,
        ["parentHash"] = b.ParentHash.ToString(),
        ["timestamp"] = b.Time,
        ["l1origin"] = new Dictionary<string, object> { ["hash"] = b.L1Origin.Hash.ToString(), ["number"] = b.L1Origin.Number },
        ["sequenceNumber"] = b.SequenceNumber,
    };
}
