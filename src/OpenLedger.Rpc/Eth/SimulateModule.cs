using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Execution;
using OpenLedger.Chain.Receipts;
using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rpc.Execution;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.Accounts;
using OpenLedger.State.Trie;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// eth_createAccessList and eth_simulateV1 (execution-apis), as geth implements them. Nothing is written: simulated
/// blocks run on an in-memory copy of the base block's state trie, so their state roots and hashes are real.
/// </summary>
public sealed class SimulateModule(Blockchain chain, BlockResolver blocks, ExecutionGate? gate = null)
{
    // Both methods simulate: they run under the node's execution budget (gas cap, timeout, cancel on disconnect).
    private readonly ExecutionGate _gate = gate ?? new ExecutionGate(new ExecutionLimits());
    /// <summary>geth's limit on blocks per eth_simulateV1 call (gap-filling blocks included).</summary>
    public const int MaxBlocks = 256;
    /// <summary>geth's limit on calls over all blocks of one eth_simulateV1 call.</summary>
    public const int MaxCalls = 1000;
    private const ulong TimestampIncrement = 12;

    private readonly CallExecutor _calls = new(chain);

    public void Register(RpcMethodRegistry r)
    {
        r.Add("eth_createAccessList", async (p, ctx) =>
        {
            p.ExpectAtMost(3);
            var args = CallArgs.Parse(p.Required(0, "transaction"), 0);
            var header = blocks.Resolve(p, 1);
            var overrides = p.Has(2) ? OverrideWorldSource.Parse(p[2], 2) : null;
            using var budget = await _gate.StartAsync(ctx.Cancellation);
            return (object?)CreateAccessList(args, header, overrides, budget);
        });
        r.Add("eth_simulateV1", async (p, ctx) =>
        {
            p.ExpectAtMost(2);
            var request = SimulateRequest.Parse(p.Required(0, "simulation options"));
            var header = blocks.Resolve(p, 1);
            using var budget = await _gate.StartAsync(ctx.Cancellation);
            return (object?)Simulate(request, header, budget);
        });
    }

    private JsonObject CreateAccessList(CallArgs args, BlockHeader header, IReadOnlyDictionary<Address, AccountOverride>? overrides, ExecutionBudget budget)
    {
        ulong gas = _calls.GasFor(args, header);
        var from = args.From;
        var excluded = new HashSet<Address> { from };
        foreach (var pc in Evm.Precompiles.PrecompileRegistry.For(chain.SpecAt(header.Timestamp))) excluded.Add(PrecompileAddress(pc.AddressIndex));
        if (args.To is { } to) excluded.Add(to);
        else
        {
            var nonce = args.Nonce ?? _calls.WorldAt(header, overrides).GetNonce(from);
            excluded.Add(ContractAddress.Create(from, nonce));
        }
        // geth: run with the list found so far until running with it finds no new entries.
        var previous = new AccessListTracer(args.AccessList, excluded);
        for (int round = 0; ; round++)
        {
            var list = previous.AccessList();
            var tracer = new AccessListTracer(list, excluded);
            var withList = args with { AccessList = list };
            var world = _calls.WorldAt(header, overrides);
            TransactionResult result;
            try
            {
                result = _calls.Execute(world, _calls.ContextFor(header, withList), withList, gas, tracer, budget: budget);
            }
            catch (RpcException e) when (e.Code == RpcErrorCodes.ServerError && e is not ExecutionAbortedException)
            {
                throw new RpcException(RpcErrorCodes.ServerError, $"failed to apply transaction: {Keccak256.Compute(_calls.ToTransaction(withList, world, gas).Encode())} err: {e.Message}");
            }
            if (tracer.SameAs(previous) || round >= 16)
            {
                var o = new JsonObject { ["accessList"] = RpcFormat.AccessList(list), ["gasUsed"] = RpcFormat.Q((ulong)result.GasUsed) };
                if (!result.Success) o["error"] = result.Status == EvmStatus.Revert ? "execution reverted" : result.Status.Describe();
                return o;
            }
            previous = tracer;
        }
    }

    private static Address PrecompileAddress(int index)
    {
        var b = new byte[20];
        b[18] = (byte)(index >> 8);
        b[19] = (byte)index;
        return new Address(b);
    }

    private JsonArray Simulate(SimulateRequest request, BlockHeader baseHeader, ExecutionBudget budget)
    {
        var plan = PlanBlocks(request, baseHeader);
        var trie = chain.StateAt(baseHeader);
        var source = new TrieWorldSource(trie);
        var parent = baseHeader;
        var simulatedHashes = new Dictionary<ulong, Hash256>();
        Hash256 BlockHash(ulong n) => simulatedHashes.TryGetValue(n, out var h) ? h : chain.Store.GetCanonicalHash(n) ?? default;
        var results = new JsonArray();
        foreach (var (blockCalls, overrides) in plan)
        {
            // The header: the parent's successor with the overrides on top (fees follow the parent unless overridden).
            var template = chain.NextHeaderTemplate(parent, 0) with
            {
                Number = overrides.Number ?? parent.Number + 1,
                Timestamp = overrides.Time ?? parent.Timestamp + TimestampIncrement,
                GasLimit = overrides.GasLimit ?? parent.GasLimit,
                Coinbase = overrides.FeeRecipient ?? parent.Coinbase,
                MixHash = overrides.PrevRandao ?? default,
                BaseFeePerGas = overrides.BaseFee ?? chain.NextHeaderTemplate(parent, 0).BaseFeePerGas,
                StateRoot = default,
                ParentHash = parent.Hash,
            };
            if (blockCalls.StateOverrides is { } so) ApplyOverrides(trie, so);
            var context = chain.ContextFor(template) with { BlockHashes = BlockHash };
            var world = new WorldState(source);
            var txs = new List<Transaction>();
            var hashes = new List<Hash256>();
            var receipts = new List<Receipt>();
            var senders = new List<Address>();
            var callResults = new JsonArray();
            ulong gasUsed = 0;
            int logIndex = 0;
            var pendingLogs = new List<(int Tx, List<LogEntry> Logs)>();
            foreach (var call in blockCalls.Calls)
            {
                ulong remaining = template.GasLimit - gasUsed;
                if (call.Gas is { } g && g > remaining)
                    throw new RpcException(SimulateErrors.BlockGasLimitReached, $"block gas limit reached: {gasUsed} >= {template.GasLimit}");
                // Unasked, a call gets the block's remaining gas, within the fork's transaction cap (EIP-7825).
                ulong gas = call.Gas ?? Math.Min(remaining, chain.SpecAt(template.Timestamp).MaxTxGas ?? ulong.MaxValue);
                var callContext = request.Validation || !call.NoFees ? context : context with { BaseFee = UInt256.Zero };
                var transfers = request.TraceTransfers ? new TransferLogTracer() : null;
                var tx = _calls.ToTransaction(call, world, gas);
                TransactionResult result;
                try
                {
                    result = _calls.Execute(world, callContext, call with { Nonce = tx.Nonce }, gas, transfers, validate: request.Validation, budget: budget);
                }
                catch (RpcException e) when (e.Code == RpcErrorCodes.ServerError && e is not ExecutionAbortedException)
                {
                    throw new RpcException(SimulateErrors.CodeFor(e.Message), e.Message);
                }
                var logs = transfers?.Logs ?? result.Logs.ToList();
                gasUsed += (ulong)result.GasUsed;
                txs.Add(tx);
                hashes.Add(Keccak256.Compute(tx.Encode()));
                senders.Add(call.From);
                receipts.Add(new Receipt
                {
                    Type = tx.Type,
                    Success = result.Success,
                    CumulativeGasUsed = gasUsed,
                    Logs = result.Logs,
                    From = call.From,
                    GasUsed = (ulong)result.GasUsed,
                    EffectiveGasPrice = BlockProducer.EffectiveGasPrice(tx, callContext.BaseFee),
                    ContractAddress = result.ContractAddress,
                });
                pendingLogs.Add((txs.Count - 1, logs));
                var callJson = new JsonObject
                {
                    ["returnData"] = RpcFormat.D(result.Output),
                    ["logs"] = new JsonArray(), // filled in once the block hash is known
                    ["gasUsed"] = RpcFormat.Q((ulong)result.GasUsed),
                    ["status"] = result.Success ? "0x1" : "0x0",
                };
                if (!result.Success) callJson["error"] = CallError(result);
                callResults.Add(callJson);
            }
            source.Apply(world.Commit());
            var bloom = new Bloom();
            foreach (var rcpt in receipts) bloom.Accumulate(rcpt.Bloom);
            var header = template with
            {
                StateRoot = trie.RootHash,
                TransactionsRoot = DerivedRoots.Compute(txs.Select(t => t.Encode()).ToArray()),
                ReceiptsRoot = DerivedRoots.Compute(receipts.Select(rc => rc.EncodeConsensus()).ToArray()),
                LogsBloom = bloom.Bytes.ToArray(),
                GasUsed = gasUsed,
            };
            var hash = header.Hash;
            simulatedHashes[header.Number] = hash;
            foreach (var (i, logs) in pendingLogs)
            {
                var arr = (JsonArray)callResults[i]!["logs"]!;
                foreach (var log in logs) arr.Add(RpcFormat.Log(log, header, hashes[i], i, logIndex++, removed: false, hash));
            }
            var block = new Block(header, txs, hashes);
            var json = RpcFormat.Block(block, request.ReturnFullTransactions, senders);
            json["calls"] = callResults;
            results.Add(json);
            parent = header;
        }
        return results;
    }

    private static JsonObject CallError(TransactionResult result)
    {
        if (result.Status == EvmStatus.Revert)
        {
            var reason = RevertReason.Decode(result.Output);
            var message = reason.Kind == RevertKind.Error ? $"execution reverted: {reason.Message}" : "execution reverted";
            return new JsonObject { ["code"] = SimulateErrors.Reverted, ["message"] = message, ["data"] = RpcFormat.D(result.Output) };
        }
        return new JsonObject { ["code"] = SimulateErrors.VmError, ["message"] = result.Status.Describe() };
    }

    /// <summary>The request's blocks with geth's checks (numbers and times strictly increasing), gaps filled with empty blocks.</summary>
    private static List<(SimulateBlock Calls, BlockOverrides Overrides)> PlanBlocks(SimulateRequest request, BlockHeader baseHeader)
    {
        var plan = new List<(SimulateBlock, BlockOverrides)>();
        ulong prevNumber = baseHeader.Number, prevTime = baseHeader.Timestamp;
        int calls = 0;
        foreach (var b in request.Blocks)
        {
            var o = b.Overrides;
            ulong number = o.Number ?? prevNumber + 1;
            if (number <= prevNumber) throw new RpcException(SimulateErrors.BlockNumberInvalid, $"block numbers must be in order: {number} <= {prevNumber}");
            // Missing numbers between the previous block and this one become empty blocks.
            for (ulong n = prevNumber + 1; n < number; n++)
            {
                prevTime += TimestampIncrement;
                plan.Add((new SimulateBlock(new BlockOverrides(), null, []), new BlockOverrides { Number = n, Time = prevTime }));
                if (plan.Count > MaxBlocks) throw new RpcException(SimulateErrors.ClientLimitExceeded, $"too many blocks: at most {MaxBlocks}");
            }
            ulong time = o.Time ?? prevTime + TimestampIncrement;
            if (time <= prevTime) throw new RpcException(SimulateErrors.BlockTimestampInvalid, $"block timestamps must be in order: {time} <= {prevTime}");
            calls += b.Calls.Count;
            if (calls > MaxCalls) throw new RpcException(SimulateErrors.ClientLimitExceeded, $"too many calls: at most {MaxCalls}");
            plan.Add((b, o with { Number = number, Time = time }));
            if (plan.Count > MaxBlocks) throw new RpcException(SimulateErrors.ClientLimitExceeded, $"too many blocks: at most {MaxBlocks}");
            prevNumber = number;
            prevTime = time;
        }
        return plan;
    }

    /// <summary>State overrides written into the simulation's own trie, so later blocks see them and the root covers them.</summary>
    private static void ApplyOverrides(StateTrie trie, IReadOnlyDictionary<Address, AccountOverride> overrides)
    {
        foreach (var (address, o) in overrides)
        {
            var a = trie.GetAccount(address);
            var codeHash = o.Code is { } code ? trie.PutCode(code) : a?.CodeHash ?? Keccak256.EmptyHash;
            var nonce = o.Nonce ?? a?.Nonce ?? 0;
            var balance = o.Balance ?? a?.Balance ?? UInt256.Zero;
            if (o.State != null)
                trie.SetAccount(address, new Account(nonce, balance, PatriciaTrie.EmptyRoot, codeHash));
            else
                trie.SetAccount(address, nonce, balance, codeHash);
            foreach (var (slot, value) in (IEnumerable<KeyValuePair<UInt256, UInt256>>?)o.State ?? o.StateDiff ?? new Dictionary<UInt256, UInt256>())
                trie.SetStorage(address, slot, value);
        }
    }
}

/// <summary>geth's eth_simulateV1 error codes (internal/ethapi/errors.go).</summary>
public static class SimulateErrors
{
    public const int NonceTooLow = -38010;
    public const int NonceTooHigh = -38011;
    public const int FeeCapTooLow = -38012;
    public const int IntrinsicGas = -38013;
    public const int InsufficientFunds = -38014;
    public const int BlockGasLimitReached = -38015;
    public const int BlockNumberInvalid = -38020;
    public const int BlockTimestampInvalid = -38021;
    public const int SenderIsNotEoa = -38024;
    public const int MaxInitCodeSizeExceeded = -38025;
    public const int ClientLimitExceeded = -38026;
    /// <summary>A reverted call in eth_simulateV1 (eth_call uses 3).</summary>
    public const int Reverted = -32000;
    public const int VmError = -32015;

    /// <summary>The code for a rejection, by geth's message text.</summary>
    public static int CodeFor(string message) =>
        message.StartsWith("nonce too low", StringComparison.Ordinal) ? NonceTooLow
        : message.StartsWith("nonce too high", StringComparison.Ordinal) ? NonceTooHigh
        : message.StartsWith("max fee per gas less than block base fee", StringComparison.Ordinal) ? FeeCapTooLow
        : message.StartsWith("intrinsic gas too low", StringComparison.Ordinal) ? IntrinsicGas
        : message.StartsWith("insufficient funds", StringComparison.Ordinal) ? InsufficientFunds
        : message.StartsWith("gas limit reached", StringComparison.Ordinal) ? BlockGasLimitReached
        : message.StartsWith("sender not an eoa", StringComparison.Ordinal) ? SenderIsNotEoa
        : message.StartsWith("max initcode size exceeded", StringComparison.Ordinal) ? MaxInitCodeSizeExceeded
        : RpcErrorCodes.InvalidParams;
}
