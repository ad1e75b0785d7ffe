using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Transactions;

/// <summary>
/// The deposited-transaction path (OP Stack, Regolith and later; specs/protocol/deposits.md "Execution"):
/// mint credited first and never rolled back; no signature, nonce, fee or EOA checks; gas is free and unrefunded
/// (gas price 0), nothing is paid to the coinbase and no base fee is charged; gas used is the metered gas after
/// refunds. A failure outside the EVM (intrinsic gas, value above balance, init code size, nonce at max) does not
/// reject the deposit: state returns to just after the mint, the sender's nonce is bumped, and the deposit is
/// included as failed having used its whole gas limit.
/// </summary>
public sealed partial class TransactionProcessor
{
    private TransactionResult ExecuteDeposit(WorldState world, BlockContext block, Transaction tx, IEvmTracer? tracer)
    {
        // The only way a deposit cannot be included: it does not fit the block (derivation treats that as invalid input).
        if (tx.GasLimit > block.GasLimit) return TransactionResult.Rejected("TransactionException.GAS_ALLOWANCE_EXCEEDED");

        world.BeginTransaction();
        var from = tx.DepositFrom;
        if (!tx.Mint.IsZero) world.AddBalance(from, tx.Mint);
        ulong nonce = world.GetNonce(from);
        var afterMint = world.TakeSnapshot();

        var failure = DepositPrecheck(world, tx, from, nonce, out ulong intrinsic);
        if (failure != null) return FailDeposit(world, afterMint, tx, from, nonce, failure, tracer);

        var host = new WorldStateHost(world);
        var evm = new EvmExecutor(host, Spec, block, new TxContext(from, UInt256.Zero, tx.BlobVersionedHashes), tracer);
        world.WarmAddress(from);
        if (tx.To is { } to) world.WarmAddress(to);
        foreach (var p in evm.PrecompileAddresses()) world.WarmAddress(p);
        if (Spec.HasWarmCoinbase) world.WarmAddress(block.Coinbase);

        long gas = (long)(tx.GasLimit - intrinsic);
        world.SetNonce(from, nonce + 1);
        CallResult result;
        Address? created = null;
        if (tx.To is { } target)
        {
            result = evm.Call(CallKind.Call, from, target, target, tx.Value, tx.Value, tx.Data, gas, false, 0);
        }
        else
        {
            var address = ContractAddress.Create(from, nonce);
            result = evm.Create(from, tx.Value, tx.Data, gas, 0, address);
            if (result.Success) created = address;
        }

        // Regolith: the real gas (after the EIP-3529 refund cap) is reported; nothing is refunded in value or paid out.
        long gasUsed = (long)tx.GasLimit - result.GasLeft;
        long refund = Math.Min(Math.Max(world.Refund, 0), gasUsed / Spec.Gas.MaxRefundQuotient);
        gasUsed -= refund;
        evm.ReleaseFrames();
        tracer?.OnTransactionEnd(result.Output, gasUsed, result.Status.IsError() || result.Status == EvmStatus.Revert ? result.Status.Describe() : null);
        var logs = world.Logs.ToArray();
        world.EndTransaction();
        return new TransactionResult(null, result.Status, gasUsed, result.Output, logs, created) { DepositNonce = nonce };
    }

    /// <summary>The checks a normal transaction fails validation on that still apply to a deposit; null when it may run.</summary>
    private string? DepositPrecheck(WorldState world, Transaction tx, Address from, ulong nonce, out ulong intrinsic)
    {
        intrinsic = 0;
        if (nonce == ulong.MaxValue) return "nonce has max value";
        if (tx.IsContractCreation && tx.Data.Length > Spec.MaxInitCodeSize) return $"max initcode size exceeded: code size {tx.Data.Length} limit {Spec.MaxInitCodeSize}";
        intrinsic = IntrinsicGas.Compute(tx, Spec);
        if (intrinsic > tx.GasLimit) return $"intrinsic gas too low: have {tx.GasLimit}, want {intrinsic}";
        if (world.GetBalance(from) < tx.Value) return $"insufficient funds for transfer: address {from}";
        return null;
    }

    private TransactionResult FailDeposit(WorldState world, WorldSnapshot afterMint, Transaction tx, Address from, ulong nonce, string reason, IEvmTracer? tracer)
    {
        world.Revert(afterMint);
        world.SetNonce(from, nonce == ulong.MaxValue ? nonce : nonce + 1);
        long gasUsed = (long)tx.GasLimit;
        tracer?.OnTransactionEnd([], gasUsed, "failed deposit: " + reason);
        world.EndTransaction();
        return new TransactionResult(null, EvmStatus.Revert, gasUsed, [], [], null) { DepositNonce = nonce, DepositFailure = reason };
    }
}
