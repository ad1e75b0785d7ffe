using Microsoft.Extensions.Logging;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using ChainAttributes = OpenLedger.Chain.Execution.PayloadAttributes;

namespace OpenLedger.Rollup.Engine;

/// <summary>
/// Where derivation meets the chain (op-node's engine controller, on our <see cref="Blockchain"/>). Derived attributes
/// either confirm the block the chain already has at that height (a sequencer's own unsafe block: op-node's
/// "consolidation", compared field by field) or are executed by <see cref="Blockchain.BuildBlock"/>, the chain's one
/// execution path, after rewinding (<see cref="Blockchain.Rewind"/>) any unsafe block that differs. Each derived block
/// becomes the safe head. After an L1 reorg <see cref="RewindAsync"/> moves the safe head back.
/// Progress (safe and finalized heads, the L1 block the safe head was derived at) is kept in the chain's store through
/// <see cref="DerivationProgress"/>, so a node resumes after a crash where it was.
/// </summary>
public sealed class ChainEngine : IExecutionEngine
{
    private readonly Blockchain _chain;
    private readonly RollupConfig _config;
    private readonly ILogger? _logger;

    public ChainEngine(Blockchain chain, RollupConfig config, ILogger? logger = null)
    {
        if (chain.Genesis.Hash != config.GenesisL2.Hash && config.GenesisL2.Hash != default)
            throw new ArgumentException($"rollup config's L2 genesis {config.GenesisL2.Hash} is not this chain's genesis {chain.Genesis.Hash}");
        _chain = chain;
        _config = config;
        _logger = logger;
        if (DerivationProgress.Load(chain) is { } p) Restore(p);
    }

    public Blockchain Chain => _chain;

    /// <summary>Unsafe blocks replaced because L1 data derived something else (the sequencer's blocks were not what L1 holds).</summary>
    public int Reorgs { get; private set; }

    /// <summary>The L1 block the current safe head was derived at (persisted; null before the first derived block).</summary>
    public BlockId? SafeDerivedAt { get; private set; }

    public L2BlockRef SafeHead => BlockByHeader(_chain.Safe);

    public L2BlockRef FinalizedHead => BlockByHeader(_chain.Finalized);

    public Task<L2BlockRef> ExecuteAsync(L2BlockRef parent, PayloadAttributes a, CancellationToken ct = default)
    {
        if (parent.Hash != _chain.Safe.Hash) throw new InvalidOperationException($"derived block's parent {parent} is not the safe head {_chain.Safe.Hash}");
        var attrs = new ChainAttributes
        {
            Timestamp = a.Timestamp,
            Transactions = a.Transactions.Select(t => TxDecoder.Decode(t)).ToList(),
            NoTxPool = true,
            PrevRandao = a.PrevRandao,
            FeeRecipient = a.SuggestedFeeRecipient,
            GasLimit = a.GasLimit,
            ParentBeaconBlockRoot = a.ParentBeaconBlockRoot,
        };
        BlockHeader header;
        if (_chain.Store.GetCanonicalHash(parent.Number + 1) is { } existingHash && _chain.Store.GetBlock(existingHash) is { } existing
            && Matches(existing, a))
        {
            header = existing.Header; // the sequencer's block is what L1 says: it becomes safe as it is
        }
        else
        {
            List<Transaction> replaced = [];
            if (_chain.Head.Number > parent.Number)
            {
                Reorgs++;
                _logger?.LogWarning("unsafe block {Number} differs from what L1 data derives: rewinding the chain to {Parent} and building the derived block",
                    parent.Number + 1, parent.Number);
                var safe = _chain.Store.GetHeader(parent.Hash) ?? throw new InvalidOperationException($"safe block {parent} is missing");
                replaced = _chain.TransactionsAbove(safe);
                _chain.Rewind(safe);
            }
            var built = _chain.BuildBlock(attrs) ?? throw new InvalidOperationException("the chain built no block from derived attributes");
            if (built.Block.Header.ParentHash != parent.Hash)
                throw new InvalidOperationException($"block {built.Block.Number} was built on {built.Block.Header.ParentHash}, not the safe head {parent.Hash} (the sequencer moved the head meanwhile)");
            header = built.Block.Header;
            // The replaced unsafe blocks' transactions go back to the pool (after the derived block, so those it holds are
            // refused as already included); a sequencer includes the rest again.
            if (replaced.Count > 0)
            {
                int repooled = _chain.Repool(replaced);
                _logger?.LogInformation("{Count} of {Total} transactions of the replaced unsafe blocks went back to the pool", repooled, replaced.Count);
            }
        }
        _chain.SetSafeAndFinalized(header, _chain.Finalized);
        return Task.FromResult(new L2BlockRef(header.Hash, header.Number, header.ParentHash, a.Timestamp, a.L1Origin, a.SequenceNumber));
    }

    /// <summary>Persists the safe head with the L1 block it was derived at (<see cref="Deriver.BlockDerived"/> calls this).</summary>
    public void RecordDerived(L2BlockRef safe, BlockId derivedAt)
    {
        SafeDerivedAt = derivedAt;
        DerivationProgress.Save(_chain, new DerivationProgress(safe.Hash, _chain.Finalized.Hash, derivedAt));
    }

    /// <summary>Moves the finalized head (derivation's view of finalized L1) and persists it.</summary>
    public void SetFinalized(L2BlockRef finalized)
    {
        if (finalized.Number <= _chain.Finalized.Number) return;
        var header = _chain.Store.GetHeader(finalized.Hash) ?? throw new InvalidOperationException($"finalized block {finalized} is missing");
        _chain.SetSafeAndFinalized(_chain.Safe, header);
        DerivationProgress.Save(_chain, new DerivationProgress(_chain.Safe.Hash, header.Hash, SafeDerivedAt));
    }

    /// <summary>
    /// After an L1 reorg: the safe (and finalized) head go back to <paramref name="block"/>. Blocks above it stay as unsafe
    /// blocks, as op-node keeps them: derivation confirms each again if L1 still says the same, or replaces it (see
    /// <see cref="ExecuteAsync"/>); a sequencer drops those whose L1 origin is gone (RollupBlockPlanner).
    /// </summary>
    public Task RewindAsync(L2BlockRef block, CancellationToken ct = default)
    {
        var header = _chain.Store.GetHeader(block.Hash) ?? throw new InvalidOperationException($"cannot rewind to {block}: not stored");
        if (_chain.Store.GetCanonicalHash(block.Number) != block.Hash) throw new InvalidOperationException($"cannot rewind to {block}: not canonical");
        var finalized = _chain.Finalized.Number <= header.Number ? _chain.Finalized : header;
        _chain.SetSafeAndFinalized(header, finalized);
        SafeDerivedAt = null;
        DerivationProgress.Save(_chain, new DerivationProgress(header.Hash, finalized.Hash, null));
        _logger?.LogWarning("safe head rewound to {Block} after an L1 reorg", block);
        return Task.CompletedTask;
    }

    public L2BlockRef? BlockByNumber(ulong number)
    {
        var header = _chain.Store.GetHeader(number);
        return header is null ? null : BlockByHeader(header);
    }

    /// <summary>The block with its L1 origin and sequence number, read from its L1 attributes deposit.</summary>
    public L2BlockRef BlockByHeader(BlockHeader header)
    {
        if (header.Number == _config.GenesisL2.Number) return new L2BlockRef(header.Hash, header.Number, header.ParentHash, header.Timestamp, _config.GenesisL1, 0);
        var block = _chain.Store.GetBlock(header.Hash) ?? throw new InvalidOperationException($"block {header.Number} missing from the store");
        var info = L1BlockInfo.FromBlock(block) ?? throw new InvalidOperationException($"block {header.Number} has no L1 attributes deposit");
        return new L2BlockRef(header.Hash, header.Number, header.ParentHash, header.Timestamp, new BlockId(info.Hash, info.Number), info.SequenceNumber);
    }

    /// <summary>The system config as of <paramref name="block"/> (op-node's L2BlockToSystemConfig: its L1 attributes plus its gas limit).</summary>
    public SystemConfig SystemConfigAt(L2BlockRef block)
    {
        if (block.Number == _config.GenesisL2.Number) return _config.GenesisSystemConfig;
        var b = _chain.Store.GetBlock(block.Hash) ?? throw new InvalidOperationException($"block {block} missing from the store");
        var info = L1BlockInfo.FromBlock(b) ?? throw new InvalidOperationException($"block {block.Number} has no L1 attributes deposit");
        var v = info.SystemConfig;
        return new SystemConfig(new Address(v.BatcherHash.Bytes[12..]), Hash256.Zero, SystemConfig.EcotoneScalar(v.BaseFeeScalar, v.BlobBaseFeeScalar), b.Header.GasLimit)
        {
            OperatorFeeScalar = v.OperatorFeeScalar,
            OperatorFeeConstant = v.OperatorFeeConstant,
            GasTokenPerEth = v.GasTokenPerEth,
        };
    }

    public IReadOnlyList<byte[]>? SequencerTransactions(ulong number)
    {
        var header = _chain.Store.GetHeader(number);
        if (header is null) return null;
        var block = _chain.Store.GetBlock(header.Hash);
        return block?.Transactions.Where(t => !t.IsDeposit).Select(t => t.Encode()).ToList();
    }

    /// <summary>Whether a stored block is exactly what these attributes build (op-node's AttributesMatchBlock).</summary>
    private static bool Matches(Block block, PayloadAttributes a)
    {
        var h = block.Header;
        if (h.Timestamp != a.Timestamp || h.MixHash != a.PrevRandao || h.Coinbase != a.SuggestedFeeRecipient || h.GasLimit != a.GasLimit
            || h.ParentBeaconBlockRoot != (a.ParentBeaconBlockRoot ?? default) || block.Transactions.Count != a.Transactions.Count) return false;
        for (int i = 0; i < a.Transactions.Count; i++)
            if (!block.Transactions[i].Encode().AsSpan().SequenceEqual(a.Transactions[i])) return false;
        return true;
    }

    private void Restore(DerivationProgress p)
    {
        var safe = _chain.Store.GetHeader(p.Safe);
        var finalized = _chain.Store.GetHeader(p.Finalized);
        // A progress record the chain no longer matches (e.g. a store edited by hand) is ignored: derivation starts over at genesis.
        if (safe is null || finalized is null || safe.Number > _chain.Head.Number || _chain.Store.GetCanonicalHash(safe.Number) != safe.Hash
            || _chain.Store.GetCanonicalHash(finalized.Number) != finalized.Hash || finalized.Number > safe.Number)
        {
            _logger?.LogWarning("stored derivation progress does not match the chain; deriving from genesis");
            return;
        }
        _chain.SetSafeAndFinalized(safe, finalized);
        SafeDerivedAt = p.SafeDerivedAt;
    }
}
