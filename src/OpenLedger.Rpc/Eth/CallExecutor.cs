using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Execution;
using OpenLedger.Evm;
using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Tracing;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rpc.Execution;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// eth_call and eth_estimateGas: run a call against a block's state in a throw-away world state
/// (overrides layered over the committed trie); nothing is ever written.
/// </summary>
public sealed class CallExecutor(Blockchain chain)
{

    /// <summary>
    /// One execution. With a <paramref name="budget"/> the gas is capped and the EVM stops when the request's time is up
    /// or its client has gone (<see cref="ExecutionAbortedException"/>, <see cref="OperationCanceledException"/>).
    /// </summary>
    public TransactionResult Run(CallArgs args, BlockHeader header, IReadOnlyDictionary<Address, AccountOverride>? overrides, ulong gas, IEvmTracer? tracer = null, ExecutionBudget? budget = null) =>
        Execute(WorldAt(header, overrides), ContextFor(header, args), args, gas, tracer, budget: budget);

    /// <summary>A throw-away world over the state after <paramref name="header"/>, overrides layered on top, optionally wrapped (e.g. to record reads).</summary>
    public WorldState WorldAt(BlockHeader header, IReadOnlyDictionary<Address, AccountOverride>? overrides, Func<IWorldSource, IWorldSource>? wrap = null)
    {
        IWorldSource source = new TrieWorldSource(chain.StateAt(header));
        if (overrides is { Count: > 0 }) source = new OverrideWorldSource(source, overrides);
        if (wrap != null) source = wrap(source);
        return new WorldState(source);
    }

    public BlockContext ContextFor(BlockHeader header, CallArgs args)
    {
        var context = chain.ContextFor(header);
        // geth: a call that names no fee runs with a zero base fee, so an unfunded `from` can still read.
        return args.NoFees ? context with { BaseFee = UInt256.Zero } : context;
    }

    /// <summary>
    /// The one place simulated calls run (eth_call, eth_estimateGas, eth_createAccessList, eth_simulateV1, debug_traceCall):
    /// the call object becomes a transaction and executes on <paramref name="world"/>; a rejection becomes geth's error.
    /// With a <paramref name="budget"/> (from <see cref="ExecutionGate"/>) the gas is capped and the execution stops on timeout or disconnect.
    /// </summary>
    /// <param name="validate">eth_simulateV1's validation: nonce and sender checks as for a real transaction.</param>
    public TransactionResult Execute(WorldState world, BlockContext context, CallArgs args, ulong gas, IEvmTracer? tracer = null, bool validate = false, ExecutionBudget? budget = null)
    {
        // The fork of the block the call runs in. Simulation: nonce as given, contract senders allowed (geth's eth_call skips both checks).
        var spec = chain.SpecAt(context.Timestamp);
        TransactionResult result;
        Transaction tx;
        if (budget is null)
        {
            tx = ToTransaction(args, world, gas);
            result = BlockProducer.CreateProcessor(chain.Config, spec, simulation: !validate, signedTransactions: false).Execute(world, context, tx, args.From, tracer);
        }
        else
        {
            // Under a spec whose JUMPDEST checks the request's budget (timeout, disconnect).
            budget.ThrowIfExceeded();
            tx = ToTransaction(args, world, budget.CapGas(gas));
            using var scope = SimulationSpec.Enter(budget, world);
            result = BlockProducer.CreateProcessor(chain.Config, SimulationSpec.For(spec), simulation: !validate, signedTransactions: false).Execute(world, context, tx, args.From, tracer);
        }
        if (!result.IsValid) throw new RpcException(RpcErrorCodes.ServerError, GethMessage(result.Rejection!, args, tx, world, context, spec));
        return result;
    }

    public Transaction ToTransaction(CallArgs args, WorldState world, ulong gas) => new()
    {
        Type = args.AuthorizationList.Count > 0 ? TxType.SetCode
            : args.MaxFeePerGas is not null || args.MaxPriorityFeePerGas is not null ? TxType.DynamicFee : TxType.AccessList,
        ChainId = chain.Config.ChainId,
        Nonce = args.Nonce ?? world.GetNonce(args.From),
        GasPrice = args.GasPrice ?? UInt256.Zero,
        MaxFeePerGas = args.MaxFeePerGas ?? args.MaxPriorityFeePerGas ?? UInt256.Zero,
        MaxPriorityFeePerGas = args.MaxPriorityFeePerGas ?? UInt256.Zero,
        GasLimit = gas,
        To = args.To,
        Value = args.Value,
        Data = args.Data,
        AccessList = args.AccessList,
        AuthorizationList = args.AuthorizationList,
    };

    /// <summary>eth_call: the output, or code 3 with the revert data, or -32000 with the EVM error.</summary>
    public byte[] Call(CallArgs args, BlockHeader header, IReadOnlyDictionary<Address, AccountOverride>? overrides, ExecutionBudget? budget = null)
    {
        var result = Run(args, header, overrides, GasFor(args, header, budget), budget: budget);
        ThrowIfFailed(result);
        return result.Output;
    }

    /// <summary>
    /// eth_estimateGas: the least gas limit with which the call succeeds, found by binary search
    /// between the gas it used and the cap (refunds and the 63/64 rule make gas used a lower bound only).
    /// </summary>
    public ulong EstimateGas(CallArgs args, BlockHeader header, IReadOnlyDictionary<Address, AccountOverride>? overrides, ExecutionBudget? budget = null)
    {
        ulong hi = GasFor(args, header, budget);
        var first = Run(args, header, overrides, hi, budget: budget);
        ThrowIfFailed(first);

        ulong lo = (ulong)first.GasUsed - 1;
        // Most calls succeed at gasUsed * 64/63 (+ the refund the cap removed): try that before bisecting.
        ulong optimistic = Math.Min(hi, ((ulong)first.GasUsed + 2300) * 64 / 63);
        if (optimistic < hi && Succeeds(args, header, overrides, optimistic, budget)) hi = optimistic;
        else if (optimistic < hi) lo = optimistic;

        while (lo + 1 < hi)
        {
            ulong mid = lo + (hi - lo) / 2;
            if (Succeeds(args, header, overrides, mid, budget)) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    private bool Succeeds(CallArgs args, BlockHeader header, IReadOnlyDictionary<Address, AccountOverride>? overrides, ulong gas, ExecutionBudget? budget)
    {
        try
        {
            return Run(args, header, overrides, gas, budget: budget).Success;
        }
        catch (RpcException e) when (e is not ExecutionAbortedException)
        {
            return false; // e.g. intrinsic gas too low at this limit
        }
    }

    /// <summary>
    /// The gas a call runs with: as asked, at most the block's limit; unasked, also at most the fork's transaction cap
    /// (EIP-7825); with a budget, at most its gas cap.
    /// </summary>
    public ulong GasFor(CallArgs args, BlockHeader header, ExecutionBudget? budget = null)
    {
        ulong cap = Math.Min(header.GasLimit, chain.SpecAt(header.Timestamp).MaxTxGas ?? ulong.MaxValue);
        ulong gas = args.Gas is { } asked ? Math.Min(asked, header.GasLimit) : cap;
        return budget?.CapGas(gas) ?? gas;
    }

    public static void ThrowIfFailed(TransactionResult result)
    {
        if (result.Success) return;
        if (result.Status == EvmStatus.Revert)
        {
            var reason = RevertReason.Decode(result.Output);
            var message = reason.Kind switch
            {
                RevertKind.Error => $"execution reverted: {reason.Message}",
                RevertKind.Panic => $"execution reverted: panic code {reason.PanicCode?.ToHexString()}",
                _ => "execution reverted",
            };
            throw new RpcException(RpcErrorCodes.ExecutionReverted, message, RpcHex.Data(result.Output));
        }
        throw new RpcException(RpcErrorCodes.ServerError, result.Status.Describe());
    }

    /// <summary>The EVM's fixture-style rejection names, in geth's words (core/state_transition.go).</summary>
    public static string GethMessage(string rejection, CallArgs args, Transaction tx, WorldState world, BlockContext context, ForkSpec spec)
    {
        var fee = tx.HasDynamicFee ? tx.MaxFeePerGas : tx.GasPrice;
        return rejection switch
        {
            "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS" =>
                $"insufficient funds for gas * price + value: address {args.From} have {world.GetBalance(args.From).ToBigInteger()} want {new System.Numerics.BigInteger(tx.GasLimit) * fee.ToBigInteger() + tx.Value.ToBigInteger()}",
            "TransactionException.INTRINSIC_GAS_TOO_LOW" => $"intrinsic gas too low: gas {tx.GasLimit}, minimum needed {IntrinsicGas.Compute(tx, spec)}",
            "TransactionException.INSUFFICIENT_MAX_FEE_PER_GAS" =>
                $"max fee per gas less than block base fee: address {args.From}, maxFeePerGas: {fee.ToBigInteger()}, baseFee: {context.BaseFee.ToBigInteger()}",
            "TransactionException.PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS" =>
                $"max priority fee per gas higher than max fee per gas: address {args.From}, maxPriorityFeePerGas: {tx.MaxPriorityFeePerGas.ToBigInteger()}, maxFeePerGas: {tx.MaxFeePerGas.ToBigInteger()}",
            "TransactionException.NONCE_TOO_LOW" => $"nonce too low: address {args.From}, tx: {tx.Nonce} state: {world.GetNonce(args.From)}",
            "TransactionException.NONCE_TOO_HIGH" => $"nonce too high: address {args.From}, tx: {tx.Nonce} state: {world.GetNonce(args.From)}",
            "TransactionException.SENDER_NOT_EOA" => $"sender not an eoa: address {args.From}, codehash: {world.GetCodeHash(args.From)}",
            "TransactionException.GAS_ALLOWANCE_EXCEEDED" => "gas limit reached",
            "TransactionException.INITCODE_SIZE_EXCEEDED" => $"max initcode size exceeded: code size {tx.Data.Length} limit {spec.MaxInitCodeSize}",
            "TransactionException.NONCE_IS_MAX" => $"nonce has max value: address {args.From}, nonce: {tx.Nonce}",
            "TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM" => $"transaction gas limit too high (cap: {spec.MaxTxGas}, tx: {tx.GasLimit})",
            "TransactionException.INTRINSIC_GAS_BELOW_FLOOR_GAS_COST" => $"insufficient gas for floor data gas cost: gas {tx.GasLimit}, minimum needed {IntrinsicGas.Floor(tx, spec)}",
            _ => rejection,
        };
    }
}
