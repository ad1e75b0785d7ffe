using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Rpc.Execution;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>Node-wide RPC settings.</summary>
public sealed record EthRpcOptions
{
    /// <summary>The tip eth_maxPriorityFeePerGas suggests and eth_gasPrice adds to the next base fee.</summary>
    public UInt256 SuggestedTip { get; init; } = new(1_000_000);
    public ulong MaxLogBlockRange { get; init; } = 10_000;
    public int MaxLogResults { get; init; } = 10_000;
    public int MaxFeeHistoryBlocks { get; init; } = 1024;

    // Limits on what one client can make the node hold or do (geth's defaults where geth has one).
    /// <summary>Reward percentiles in one eth_feeHistory call (geth: 100).</summary>
    public int MaxFeeHistoryPercentiles { get; init; } = 100;
    /// <summary>Storage keys in one eth_getProof call.</summary>
    public int MaxProofKeys { get; init; } = 1024;
    /// <summary>Polling filters installed on the node, all clients together.</summary>
    public int MaxFilters { get; init; } = 10_000;
    /// <summary>Subscriptions one WebSocket connection may hold.</summary>
    public int MaxSubscriptionsPerConnection { get; init; } = 128;
    /// <summary>Recent blocks (and, counting each log, logs) kept for filters and subscriptions; older ones are dropped and a filter that missed them is removed.</summary>
    public int FilterJournalBlocks { get; init; } = 1024;
    public long FilterJournalLogs { get; init; } = 200_000;
    /// <summary>Recent accepted transaction hashes kept for pending-transaction filters and subscriptions.</summary>
    public int FilterJournalTransactions { get; init; } = 100_000;
    /// <summary>Gas, time and concurrency for eth_call, eth_estimateGas, eth_simulateV1 and tracing (see <see cref="ExecutionBudget"/>).</summary>
    public ExecutionLimits Execution { get; init; } = new();
    /// <summary>Namespaces served besides eth, net and web3: "debug" and "txpool" (off on a production node; the devnet turns them on).</summary>
    public IReadOnlySet<string> ExtraApis { get; init; } = new HashSet<string>();
    /// <summary>
    /// A replica's eth_sendRawTransaction: the raw bytes go to the sequencer, whose answer (hash or error) is the answer.
    /// Null: the transaction enters this node's pool (a sequencer).
    /// </summary>
    public Func<byte[], CancellationToken, ValueTask<object?>>? ForwardRawTransaction { get; init; }
    /// <summary>A rollup chain's genesis L1 anchor (block 0's L1 origin in optimism_* answers); null on a plain chain.</summary>
    public Optimism.BlockId? RollupGenesisL1 { get; init; }
}

/// <summary>eth_* methods over the chain: state reads, blocks, transactions, receipts, calls and fees.</summary>
public sealed class EthModule
{
    private readonly Blockchain _chain;
    private readonly BlockResolver _blocks;
    private readonly CallExecutor _calls;
    private readonly EthRpcOptions _options;

    public EthModule(Blockchain chain, EthRpcOptions options)
    {
        _chain = chain;
        _options = options;
        _blocks = new BlockResolver(chain);
        _calls = new CallExecutor(chain);
        Gate = new ExecutionGate(options.Execution);
    }

    public BlockResolver Blocks => _blocks;

    /// <summary>The node's one gate for simulations (eth_call, eth_estimateGas, eth_simulateV1, tracing): gas cap, timeout, concurrency.</summary>
    public ExecutionGate Gate { get; }

    public void Register(RpcMethodRegistry r)
    {
        r.Add("eth_chainId", p => { p.ExpectAtMost(0); return RpcFormat.Q(_chain.Config.ChainId); });
        r.Add("eth_blockNumber", p => { p.ExpectAtMost(0); return RpcFormat.Q(_chain.Head.Number); });
        r.Add("eth_coinbase", p => { p.ExpectAtMost(0); return RpcFormat.A(_chain.Coinbase); });
        r.Add("eth_syncing", p => { p.ExpectAtMost(0); return false; });
        // A production node holds no keys: wallets sign and send raw transactions. (Dev mode registers its own first.)
        if (!r.TryGet("eth_accounts", out _)) r.Add("eth_accounts", p => { p.ExpectAtMost(0); return Array.Empty<string>(); });
        r.Add("eth_getBalance", p =>
        {
            p.ExpectAtMost(2);
            var a = p.Address(0);
            return RpcFormat.Q(_chain.StateAt(_blocks.Resolve(p, 1)).GetAccount(a)?.Balance ?? UInt256.Zero);
        });
        r.Add("eth_getTransactionCount", p =>
        {
            p.ExpectAtMost(2);
            var a = p.Address(0);
            if (p.Has(1) && p[1].ValueKind == JsonValueKind.String && p[1].GetString() == "pending")
                return RpcFormat.Q(_chain.Pool.PendingNonce(a));
            return RpcFormat.Q(_chain.StateAt(_blocks.Resolve(p, 1)).GetAccount(a)?.Nonce ?? 0);
        });
        r.Add("eth_getCode", p =>
        {
            p.ExpectAtMost(2);
            var a = p.Address(0);
            var state = _chain.StateAt(_blocks.Resolve(p, 1));
            var account = state.GetAccount(a);
            return RpcFormat.D(account is { } acc ? state.GetCode(acc.CodeHash) ?? [] : []);
        });
        r.Add("eth_getStorageAt", p =>
        {
            p.ExpectAtMost(3);
            var a = p.Address(0);
            var slotText = p.RequiredString(1, "slot");
            // geth takes a slot of any hex length ("0x0", "0x1"); without the 0x prefix it is a bad argument, not our error.
            if (!slotText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                || !RpcHex.TryDecode(slotText.Length % 2 == 1 ? "0x0" + slotText[2..] : slotText, out var slotBytes) || slotBytes.Length > 32)
                throw RpcException.InvalidParams("invalid argument 1 (slot): hex of at most 32 bytes expected");
            var value = _chain.StateAt(_blocks.Resolve(p, 2)).GetStorage(a, UInt256.FromBigEndian(slotBytes));
            return RpcFormat.D(value.ToBigEndian());
        });
        r.Add("eth_call", async (p, ctx) =>
        {
            p.ExpectAtMost(3);
            var args = CallArgs.Parse(p.Required(0, "transaction"), 0);
            var overrides = p.Has(2) ? OverrideWorldSource.Parse(p[2], 2) : null;
            var header = _blocks.Resolve(p, 1);
            using var budget = await Gate.StartAsync(ctx.Cancellation);
            return RpcFormat.D(_calls.Call(args, header, overrides, budget));
        });
        r.Add("eth_estimateGas", async (p, ctx) =>
        {
            p.ExpectAtMost(3);
            var args = CallArgs.Parse(p.Required(0, "transaction"), 0);
            var overrides = p.Has(2) ? OverrideWorldSource.Parse(p[2], 2) : null;
            var header = _blocks.Resolve(p, 1);
            using var budget = await Gate.StartAsync(ctx.Cancellation);
            return RpcFormat.Q(_calls.EstimateGas(args, header, overrides, budget));
        });
        r.Add("eth_gasPrice", p => { p.ExpectAtMost(0); return RpcFormat.Q(_chain.NextBaseFee + _options.SuggestedTip); });
        r.Add("eth_maxPriorityFeePerGas", p => { p.ExpectAtMost(0); return RpcFormat.Q(_options.SuggestedTip); });
        r.Add("eth_blobBaseFee", p => { p.ExpectAtMost(0); return RpcFormat.Q(_chain.ContextFor(_chain.NextHeaderTemplate(_chain.Head, 0)).BlobBaseFee(_chain.Spec)); });
        r.Add("eth_feeHistory", FeeHistory);
        if (_options.ForwardRawTransaction is { } forward)
            r.Add("eth_sendRawTransaction", async (p, ctx) =>
            {
                p.ExpectAtMost(1);
                return await forward(p.Data(0, "transaction"), ctx.Cancellation);
            });
        else r.Add("eth_sendRawTransaction", p =>
        {
            p.ExpectAtMost(1);
            var raw = p.Data(0, "transaction");
            try
            {
                return _chain.Pool.AddRaw(raw).Hash.ToString();
            }
            catch (TxPoolException e)
            {
                throw new RpcException(RpcErrorCodes.ServerError, e.Message);
            }
        });
        r.Add("eth_getTransactionByHash", p =>
        {
            p.ExpectAtMost(1);
            var hash = p.Hash(0);
            if (_chain.Store.GetTxLocation(hash) is { } loc) return TransactionAt(loc.BlockHash, loc.Index);
            return _chain.Pool.Get(hash) is { } pending ? RpcFormat.Transaction(pending.Transaction, pending.Hash, pending.Sender, null, 0) : null;
        });
        r.Add("eth_getTransactionByBlockHashAndIndex", p =>
        {
            p.ExpectAtMost(2);
            var hash = p.Hash(0);
            return TransactionAt(hash, (int)Math.Min(p.Quantity(1, "index"), int.MaxValue));
        });
        r.Add("eth_getTransactionByBlockNumberAndIndex", p =>
        {
            p.ExpectAtMost(2);
            var header = _blocks.TryResolveNumber(p, 0);
            return header is null ? null : TransactionAt(header.Hash, (int)Math.Min(p.Quantity(1, "index"), int.MaxValue));
        });
        r.Add("eth_getTransactionReceipt", p =>
        {
            p.ExpectAtMost(1);
            var hash = p.Hash(0);
            return _chain.Store.GetTxLocation(hash) is { } loc ? ReceiptAt(loc.BlockHash, loc.Index) : null;
        });
        r.Add("eth_getBlockReceipts", p =>
        {
            p.ExpectAtMost(1);
            var header = p.Has(0) && p[0].ValueKind == JsonValueKind.String && p[0].GetString()!.Length == 66
                ? _chain.Store.GetHeader(p.Hash(0))
                : _blocks.TryResolveNumber(p, 0);
            return header is null ? null : ReceiptsOf(header.Hash);
        });
        r.Add("eth_getBlockByNumber", p =>
        {
            p.ExpectAtMost(2);
            var header = _blocks.TryResolveNumber(p, 0);
            return header is null ? null : BlockJson(header.Hash, p.Bool(1, "fullTransactions"));
        });
        r.Add("eth_getBlockByHash", p =>
        {
            p.ExpectAtMost(2);
            return BlockJson(p.Hash(0), p.Bool(1, "fullTransactions"));
        });
        r.Add("eth_getBlockTransactionCountByNumber", p =>
        {
            p.ExpectAtMost(1);
            var header = _blocks.TryResolveNumber(p, 0);
            return header is null ? null : RpcFormat.Q((ulong)(_chain.Store.GetBlock(header.Hash)?.Transactions.Count ?? 0));
        });
        r.Add("eth_getBlockTransactionCountByHash", p =>
        {
            p.ExpectAtMost(1);
            var block = _chain.Store.GetBlock(p.Hash(0));
            return block is null ? null : RpcFormat.Q((ulong)block.Transactions.Count);
        });
        r.Add("eth_getUncleCountByBlockNumber", p => { p.ExpectAtMost(1); return _blocks.TryResolveNumber(p, 0) is null ? null : "0x0"; });
        r.Add("eth_getUncleCountByBlockHash", p => { p.ExpectAtMost(1); return _chain.Store.GetHeader(p.Hash(0)) is null ? null : "0x0"; });
        r.Add("eth_getProof", p =>
        {
            p.ExpectAtMost(3);
            var a = p.Address(0);
            var slotsEl = p.Required(1, "storageKeys");
            if (slotsEl.ValueKind != JsonValueKind.Array) throw RpcException.InvalidParams("invalid argument 1 (storageKeys): array expected");
            if (slotsEl.GetArrayLength() > _options.MaxProofKeys)
                throw RpcException.InvalidParams($"invalid argument 1 (storageKeys): {slotsEl.GetArrayLength()} keys, limit {_options.MaxProofKeys} (rpc.maxProofKeys)");
            var slots = new List<UInt256>();
            foreach (var s in slotsEl.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.String || !RpcHex.TryDecode(s.GetString()!, out var b) || b.Length > 32)
                    throw RpcException.InvalidParams("invalid argument 1 (storageKeys): hex of at most 32 bytes expected");
                slots.Add(UInt256.FromBigEndian(b));
            }
            var proof = _chain.StateAt(_blocks.Resolve(p, 2)).GetAccountProof(a, slots);
            return new JsonObject
            {
                ["address"] = RpcFormat.A(a),
                ["balance"] = RpcFormat.Q(proof.Account.Balance),
                ["nonce"] = RpcFormat.Q(proof.Account.Nonce),
                ["codeHash"] = proof.Account.CodeHash.ToString(),
                ["storageHash"] = proof.StorageHash.ToString(),
                ["accountProof"] = new JsonArray(proof.Proof.Select(n => (JsonNode)RpcFormat.D(n)).ToArray()),
                ["storageProof"] = new JsonArray(proof.StorageProofs.Select(sp => (JsonNode)new JsonObject
                {
                    ["key"] = RpcFormat.Q(sp.Key),
                    ["value"] = RpcFormat.Q(sp.Value),
                    ["proof"] = new JsonArray(sp.Proof.Select(n => (JsonNode)RpcFormat.D(n)).ToArray()),
                }).ToArray()),
            };
        });
    }

    private JsonObject? BlockJson(Hash256 hash, bool full)
    {
        var block = _chain.Store.GetBlock(hash);
        if (block is null) return null;
        if (!full) return RpcFormat.Block(block, false);
        var receipts = _chain.Store.GetReceipts(block.Hash);
        return RpcFormat.Block(block, true, block.Transactions.Select((t, i) => receipts?[i].From ?? t.RecoverSender()).ToArray(), receipts);
    }

    private JsonObject? TransactionAt(Hash256 blockHash, int index)
    {
        var block = _chain.Store.GetBlock(blockHash);
        if (block is null || index < 0 || index >= block.Transactions.Count) return null;
        var tx = block.Transactions[index];
        var receipts = _chain.Store.GetReceipts(blockHash);
        return RpcFormat.Transaction(tx, block.TransactionHashes[index], receipts?[index].From ?? tx.RecoverSender(), block.Header, index, receipt: receipts?[index]);
    }

    /// <summary>Senders from the stored receipts (recovered once, at inclusion).</summary>
    private Address[] Senders(Block block)
    {
        var receipts = _chain.Store.GetReceipts(block.Hash);
        return block.Transactions.Select((t, i) => receipts?[i].From ?? t.RecoverSender()).ToArray();
    }

    /// <summary>One transaction's receipt as JSON; log indices continue from the block's earlier receipts.</summary>
    public JsonObject? ReceiptAt(Hash256 blockHash, int index)
    {
        var block = _chain.Store.GetBlock(blockHash);
        var receipts = _chain.Store.GetReceipts(blockHash);
        if (block is null || receipts is null || index < 0 || index >= receipts.Count) return null;
        int logIndex = 0;
        for (int i = 0; i < index; i++) logIndex += receipts[i].Logs.Count;
        return RpcFormat.Receipt(receipts[index], block.Transactions[index], block.TransactionHashes[index], receipts[index].From, block.Header, index, logIndex,
            l1Fee: L1FeeOf(block, L1FeeParamsOf(block), index));
    }

    /// <summary>A rollup block's L1 data fee parameters, from its L1 attributes deposit; null on a plain chain or a block without one.</summary>
    private Chain.Rollup.Fees.L1FeeParams? L1FeeParamsOf(Block block) =>
        _chain.Config.Optimism && Chain.Rollup.L1BlockInfo.FromBlock(block) is { } info ? Chain.Rollup.Fees.L1FeeParams.From(info) : null;

    /// <summary>What the executor charged the transaction at <paramref name="index"/> (the same rule over the same signed bytes).</summary>
    private static Chain.Rollup.Fees.L1FeeResult? L1FeeOf(Block block, Chain.Rollup.Fees.L1FeeParams? p, int index) =>
        p is { } fees && !block.Transactions[index].IsDeposit ? Chain.Rollup.Fees.L1DataFee.Compute(block.Transactions[index].Encode(), fees) : null;

    /// <summary>All receipts of a block as JSON, with log indices running across the block.</summary>
    public JsonArray? ReceiptsOf(Hash256 blockHash)
    {
        var block = _chain.Store.GetBlock(blockHash);
        var receipts = _chain.Store.GetReceipts(blockHash);
        if (block is null || receipts is null) return null;
        var arr = new JsonArray();
        int logIndex = 0;
        var hash = block.Hash;
        var fees = L1FeeParamsOf(block);
        for (int i = 0; i < receipts.Count; i++)
        {
            var tx = block.Transactions[i];
            arr.Add(RpcFormat.Receipt(receipts[i], tx, block.TransactionHashes[i], receipts[i].From, block.Header, i, logIndex, hash, L1FeeOf(block, fees, i)));
            logIndex += receipts[i].Logs.Count;
        }
        return arr;
    }

    private object FeeHistory(RpcParams p)
    {
        p.ExpectAtMost(3);
        var countEl = p.Required(0, "blockCount");
        ulong count = countEl.ValueKind == JsonValueKind.Number && countEl.TryGetUInt64(out var c) ? c
            : countEl.ValueKind == JsonValueKind.String && RpcHex.TryParseQuantity(countEl.GetString()!, out var cq) ? cq
            : throw RpcException.InvalidParams("invalid argument 0 (blockCount): quantity expected");
        var newest = _blocks.TryResolveNumber(p, 1, "newestBlock") ?? throw new RpcException(RpcErrorCodes.ServerError, "request beyond head block");
        double[] percentiles = [];
        if (p.Has(2))
        {
            if (p[2].ValueKind != JsonValueKind.Array) throw RpcException.InvalidParams("invalid argument 2 (rewardPercentiles): array expected");
            if (p[2].GetArrayLength() > _options.MaxFeeHistoryPercentiles)
                throw RpcException.InvalidParams($"invalid argument 2 (rewardPercentiles): {p[2].GetArrayLength()} percentiles, limit {_options.MaxFeeHistoryPercentiles} (rpc.maxFeeHistoryPercentiles)");
            percentiles = p[2].EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN).ToArray();
            for (int i = 0; i < percentiles.Length; i++)
                if (double.IsNaN(percentiles[i]) || percentiles[i] < 0 || percentiles[i] > 100 || (i > 0 && percentiles[i] < percentiles[i - 1]))
                    throw RpcException.InvalidParams($"invalid reward percentile: {p[2][i]}");
        }
        count = Math.Min(Math.Min(count, (ulong)_options.MaxFeeHistoryBlocks), newest.Number + 1);
        ulong oldest = newest.Number + 1 - count;
        var baseFees = new JsonArray();
        var ratios = new JsonArray();
        var blobFees = new JsonArray();
        var blobRatios = new JsonArray();
        var rewards = new JsonArray();
        ulong maxBlobGas = _chain.Spec.MaxBlobGasPerBlock;
        for (ulong n = oldest; n <= newest.Number; n++)
        {
            var h = _chain.Store.GetHeader(n)!;
            baseFees.Add(RpcFormat.Q(h.BaseFeePerGas));
            ratios.Add(h.GasLimit == 0 ? 0.0 : (double)h.GasUsed / h.GasLimit);
            blobFees.Add(RpcFormat.Q(_chain.ContextFor(h).BlobBaseFee(_chain.SpecAt(h.Timestamp))));
            blobRatios.Add((double)h.BlobGasUsed / maxBlobGas);
            if (percentiles.Length > 0) rewards.Add(Rewards(h, percentiles));
        }
        var next = _chain.NextHeaderTemplate(newest, 0);
        baseFees.Add(RpcFormat.Q(newest.Number == _chain.Head.Number ? _chain.NextBaseFee : _chain.Store.GetHeader(newest.Number + 1)!.BaseFeePerGas));
        blobFees.Add(RpcFormat.Q(_chain.ContextFor(next).BlobBaseFee(_chain.SpecAt(next.Timestamp))));
        var result = new JsonObject
        {
            ["oldestBlock"] = RpcFormat.Q(oldest),
            ["baseFeePerGas"] = baseFees,
            ["gasUsedRatio"] = ratios,
            ["baseFeePerBlobGas"] = blobFees,
            ["blobGasUsedRatio"] = blobRatios,
        };
        if (percentiles.Length > 0) result["reward"] = rewards;
        return result;
    }

    /// <summary>Effective tips at the given percentiles of gas used in the block (geth's method).</summary>
    private JsonArray Rewards(BlockHeader h, double[] percentiles)
    {
        var arr = new JsonArray();
        var block = _chain.Store.GetBlock(h.Hash);
        var receipts = _chain.Store.GetReceipts(h.Hash);
        // Deposits pay for their gas on L1 (gas price 0): they bid no tip, so they stay out of the percentiles.
        var paying = block is null || receipts is null ? [] : block.Transactions.Select((t, i) => (Tx: t, Gas: receipts[i].GasUsed)).Where(x => !x.Tx.IsDeposit).ToArray();
        if (paying.Length == 0)
        {
            foreach (var _ in percentiles) arr.Add("0x0");
            return arr;
        }
        var tips = paying.Select(x => (Tip: Chain.Execution.BlockProducer.EffectiveGasPrice(x.Tx, h.BaseFeePerGas) - h.BaseFeePerGas, x.Gas))
            .OrderBy(x => x.Tip).ToArray();
        ulong payingGas = 0;
        foreach (var (_, gas) in tips) payingGas += gas;
        foreach (var pct in percentiles)
        {
            double threshold = payingGas * pct / 100.0;
            ulong sum = 0;
            var chosen = tips[^1].Tip;
            foreach (var (tip, gas) in tips)
            {
                sum += gas;
                if (sum >= threshold)
                {
                    chosen = tip;
                    break;
                }
            }
            arr.Add(RpcFormat.Q(chosen));
        }
        return arr;
    }
}
