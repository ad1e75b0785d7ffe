using OpenLedger.Chain.Rollup;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;

namespace OpenLedger.Rollup.L1;

/// <summary>
/// The sequencer's view of L1 SystemConfig changes: at each new epoch it applies the origin block's ConfigUpdate logs
/// with the same rule derivation's L1 traversal uses (<see cref="SystemConfigUpdate"/>), so the batcher hash, fee
/// scalars, operator fee and gas limit it writes into blocks are the ones derivation will expect.
/// </summary>
public static class L1SystemConfigUpdates
{
    public static SystemConfigUpdater Create(string l1Rpc, RollupConfig config)
    {
        var l1 = RpcL1Source.Create(l1Rpc, config.L1SystemConfigAddress);
        return async (origin, current, gasLimit, ct) =>
        {
            var logs = await l1.SystemConfigLogsAsync(origin.Hash, ct).ConfigureAwait(false);
            if (logs.Count == 0) return (current, gasLimit);
            var sys = new SystemConfig(new Address(current.BatcherHash.Bytes[12..]), Hash256.Zero,
                SystemConfig.EcotoneScalar(current.BaseFeeScalar, current.BlobBaseFeeScalar), gasLimit)
            {
                OperatorFeeScalar = current.OperatorFeeScalar,
                OperatorFeeConstant = current.OperatorFeeConstant,
                GasTokenPerEth = current.GasTokenPerEth,
            };
            foreach (var log in logs) sys = SystemConfigUpdate.Apply(sys, log);
            return (sys.ToL1AttributesValues(), sys.GasLimit);
        };
    }
}
