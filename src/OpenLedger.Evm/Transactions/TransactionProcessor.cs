using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Transactions;

/// <summary>
/// Applies one transaction to a <see cref="WorldState"/> under one fork spec: validation (nonce, EOA or delegated sender,
/// fee caps, blob rules, EIP-7825 gas cap, balance, intrinsic gas and the EIP-7623 floor), gas purchase, warm-up
/// (EIP-2929/2930/3651), EIP-7702 authorizations, the call (following a delegation designator) or creation, refunds
/// (EIP-3529), the calldata floor, the EIP-1559 fee split (base fee burned, tip to the coinbase) and end-of-transaction
/// clean-up (EIP-161, EIP-6780).
/// Rejection reasons use the fixtures' TransactionException names.
/// </summary>
public sealed partial class TransactionProcessor(ForkSpec spec)
{
    public ForkSpec Spec { get; } = spec;

    /// <summary>
    /// eth_call semantics: the nonce is taken as given and a sender with code is allowed (EIP-3607 applies to
    /// signed transactions, not to simulations). Never set this when building blocks.
    /// </summary>
    public bool SimulationMode { get; init; }

    /// <summary>
    /// OP Stack rollups keep the base fee: it is credited here (the BaseFeeVault) instead of being burned. Null burns it (Ethereum).
    /// </summary>
    public Address? BaseFeeRecipient { get; init; }

    /// <summary>
    /// OP Stack rollups: the L1 data fee signed transactions pay (block building and replays of real blocks); null for
    /// plain chains and for calls (eth_call and friends build unsigned transactions, which op-geth charges no L1 fee either).
    /// </summary>
    public L1DataFeeRule? L1DataFee { get; init; }

    public TransactionResult Execute(WorldState world, BlockContext block, Transaction tx, Address sender, IEvmTracer? tracer = null)
    {
        if (!Spec.ExecutionSupported) throw new NotSupportedException($"this EVM executes Shanghai and later, not {Spec.Name}");
        if (tx.Type == TxType.Deposit) return ExecuteDeposit(world, block, tx, tracer);
        world.BeginTransaction();
        var blobBaseFee = block.BlobBaseFee(Spec);
        var l1Fee = L1DataFee is { } rule ? rule.Cost(world, tx) : UInt256.Zero;
        var rejection = Validate(world, block, tx, sender, blobBaseFee, l1Fee, out var effectiveGasPrice, out ulong intrinsic, out ulong floor);
        if (rejection != null) return TransactionResult.Rejected(rejection);

        var host = new WorldStateHost(world);
        ulong blobGas = (ulong)tx.BlobVersionedHashes.Count * Spec.BlobGasPerBlob;
        host.SubtractBalance(sender, new UInt256(tx.GasLimit) * effectiveGasPrice + new UInt256(blobGas) * blobBaseFee + l1Fee);

        var evm = new EvmExecutor(host, Spec, block, new TxContext(sender, effectiveGasPrice, tx.BlobVersionedHashes), tracer);
        world.WarmAddress(sender);
        if (tx.To is { } to) world.WarmAddress(to);
        foreach (var p in evm.PrecompileAddresses()) world.WarmAddress(p);
        if (Spec.HasWarmCoinbase) world.WarmAddress(block.Coinbase);
        foreach (var item in tx.AccessList)
        {
            world.WarmAddress(item.Address);
            foreach (var key in item.StorageKeys) world.WarmSlot(item.Address, Word.FromHash(key));
        }

        long gas = (long)(tx.GasLimit - intrinsic);
        ulong nonce = world.GetNonce(sender);
        world.SetNonce(sender, nonce + 1);
        // EIP-7702: authorizations apply after the sender's nonce bump and survive a reverting call; their refund too.
        if (tx.AuthorizationList.Count > 0) world.AddRefund(SetCodeAuthorizations.Apply(world, tx.AuthorizationList, block.ChainId, Spec));
        CallResult result;
        Address? created = null;
        if (tx.To is { } target)
        {
            // The target's delegate is warmed for free (charged only when reached by a CALL opcode).
            if (Spec.Eip7702 && Delegation.TryGetTarget(world.GetCode(target), out var delegate_)) world.WarmAddress(delegate_);
            result = evm.Call(CallKind.Call, sender, target, target, tx.Value, tx.Value, tx.Data, gas, false, 0);
        }
        else
        {
            var address = ContractAddress.Create(sender, nonce);
            result = evm.Create(sender, tx.Value, tx.Data, gas, 0, address);
            // The transaction's output is the deployed code, as geth reports it (eth_call, traces); CREATE opcodes still see none.
            if (result.Success)
            {
                created = address;
                result = result with { Output = world.GetCode(address) };
            }
        }

        long gasUsed = (long)tx.GasLimit - result.GasLeft;
        long refund = Math.Min(Math.Max(world.Refund, 0), gasUsed / Spec.Gas.MaxRefundQuotient);
        gasUsed -= refund;
        gasUsed = Math.Max(gasUsed, (long)floor); // EIP-7623: calldata-heavy transactions pay at least the floor
        long gasLeft = (long)tx.GasLimit - gasUsed;
        world.AddBalance(sender, new UInt256((ulong)gasLeft) * effectiveGasPrice);
        world.AddBalance(block.Coinbase, new UInt256((ulong)gasUsed) * (effectiveGasPrice - block.BaseFee));
        if (BaseFeeRecipient is { } baseFeeVault) world.AddBalance(baseFeeVault, new UInt256((ulong)gasUsed) * block.BaseFee);
        if (!l1Fee.IsZero) world.AddBalance(L1DataFee!.Vault, l1Fee);
        evm.ReleaseFrames();
        tracer?.OnTransactionEnd(result.Output, gasUsed, result.Status.IsError() || result.Status == EvmStatus.Revert ? result.Status.Describe() : null);
        var logs = world.Logs.ToArray();
        world.EndTransaction();
        return new TransactionResult(null, result.Status, gasUsed, result.Output, logs, created) { L1Fee = l1Fee };
    }

    private string? Validate(WorldState world, BlockContext block, Transaction tx, Address sender, in UInt256 blobBaseFee, in UInt256 l1Fee,
        out UInt256 effectiveGasPrice, out ulong intrinsic, out ulong floor)
    {
        effectiveGasPrice = UInt256.Zero;
        intrinsic = 0;
        floor = 0;
        bool dynamicFee = tx.HasDynamicFee;
        var maxFee = dynamicFee ? tx.MaxFeePerGas : tx.GasPrice;
        var maxPriority = dynamicFee ? tx.MaxPriorityFeePerGas : tx.GasPrice;

        if (tx.Type == TxType.Blob)
        {
            if (!Spec.HasBlobs) return "TransactionException.TYPE_3_TX_PRE_FORK";
            if (tx.To == null) return "TransactionException.TYPE_3_TX_CONTRACT_CREATION";
            if (tx.BlobVersionedHashes.Count == 0) return "TransactionException.TYPE_3_TX_ZERO_BLOBS";
            if (tx.BlobVersionedHashes.Count > Spec.MaxBlobsPerTx) return "TransactionException.TYPE_3_TX_BLOB_COUNT_EXCEEDED";
            if ((ulong)tx.BlobVersionedHashes.Count * Spec.BlobGasPerBlob > Spec.MaxBlobGasPerBlock) return "TransactionException.TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED";
            foreach (var h in tx.BlobVersionedHashes)
                if (h.Bytes[0] != Spec.BlobVersionedHashVersion) return "TransactionException.TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH";
            if (tx.MaxFeePerBlobGas < blobBaseFee) return "TransactionException.INSUFFICIENT_MAX_FEE_PER_BLOB_GAS";
        }
        if (tx.Type == TxType.SetCode)
        {
            if (!Spec.Eip7702) return "TransactionException.TYPE_4_TX_PRE_FORK";
            if (tx.To == null) return "TransactionException.TYPE_4_TX_CONTRACT_CREATION";
            if (tx.AuthorizationList.Count == 0) return "TransactionException.TYPE_4_EMPTY_AUTHORIZATION_LIST";
        }
        if (Spec.MaxTxGas is { } cap && tx.GasLimit > cap) return "TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM";
        if (tx.GasLimit > block.GasLimit) return "TransactionException.GAS_ALLOWANCE_EXCEEDED";

        ulong stateNonce = world.GetNonce(sender);
        if (stateNonce == ulong.MaxValue) return "TransactionException.NONCE_IS_MAX";
        if (!SimulationMode)
        {
            if (tx.Nonce < stateNonce) return "TransactionException.NONCE_TOO_LOW";
            if (tx.Nonce > stateNonce) return "TransactionException.NONCE_TOO_HIGH";
            // EIP-3607, relaxed by EIP-7702: a sender may carry a delegation designator, nothing else.
            if (world.GetCodeHash(sender) != Keccak256.EmptyHash && !(Spec.Eip7702 && Delegation.IsDesignator(world.GetCode(sender))))
                return "TransactionException.SENDER_NOT_EOA";
        }

        if (maxFee < block.BaseFee) return "TransactionException.INSUFFICIENT_MAX_FEE_PER_GAS";
        if (maxPriority > maxFee) return "TransactionException.PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS";

        intrinsic = IntrinsicGas.Compute(tx, Spec);
        if (intrinsic > tx.GasLimit) return "TransactionException.INTRINSIC_GAS_TOO_LOW";
        floor = IntrinsicGas.Floor(tx, Spec);
        if (floor > tx.GasLimit) return "TransactionException.INTRINSIC_GAS_BELOW_FLOOR_GAS_COST";
        if (tx.IsContractCreation && tx.Data.Length > Spec.MaxInitCodeSize) return "TransactionException.INITCODE_SIZE_EXCEEDED";

        // The sender must afford the worst case: gas at the fee cap, blob gas at its cap, the value and the L1 data fee.
        ulong blobGas = (ulong)tx.BlobVersionedHashes.Count * Spec.BlobGasPerBlob;
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), maxFee, out var cost)
            || UInt256.MultiplyOverflow(new UInt256(blobGas), tx.MaxFeePerBlobGas, out var blobCost)
            || UInt256.AddOverflow(cost, blobCost, out cost)
            || UInt256.AddOverflow(cost, tx.Value, out cost)
            || UInt256.AddOverflow(cost, l1Fee, out cost)
            || world.GetBalance(sender) < cost)
            return "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS";

        var tip = UInt256.Min(maxPriority, maxFee - block.BaseFee);
        effectiveGasPrice = block.BaseFee + tip;
        return null;
    }
}
