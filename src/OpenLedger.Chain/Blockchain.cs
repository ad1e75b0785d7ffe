using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Execution;
using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Receipts;
using OpenLedger.Chain.Storage;
using OpenLedger.Chain.TxPool;
using OpenLedger.Evm;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.Accounts;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain;

/// <summary>A committed block with its receipts, announced to subscribers after it is durable.</summary>
public sealed record NewBlock(Block Block, IReadOnlyList<Receipt> Receipts);

/// <summary>
/// The chain: genesis, head, block production and commit, and read access for RPC. One producer
/// thread at a time (guarded by a lock); readers open their own view of a state root, so they never
/// share a trie with the producer.
/// </summary>
public sealed class Blockchain : IDisposable
{
    private readonly object _produceLock = new();
    private readonly BlockProducer _producer;
    private StateTrie _headState;
    // Blocks committed on the current _headState instance since it was last opened from the store.
    private int _blocksSinceReopen;
    private const int ReopenEveryBlocks = 64;
    private BlockHeader _head;

    public ChainConfig Config { get; }

    /// <summary>The fork rules of a block with this timestamp (chosen per block from the config's fork times).</summary>
    public ForkSpec SpecAt(ulong timestamp) => Config.SpecAt(timestamp);

    /// <summary>The rules the next block runs under (one second after the head, or now if later).</summary>
    public ForkSpec Spec => SpecAt(NextTimestamp(Head));

    private static ulong NextTimestamp(BlockHeader head) => Math.Max((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), head.Timestamp + 1);
    public ChainStore Store { get; }
    public TxPool.TxPool Pool { get; }
    public BlockHeader Genesis { get; }
    public BlockHeader Head => Volatile.Read(ref _head);

    private BlockHeader _safe = null!, _finalized = null!;

    /// <summary>
    /// The newest block derived from L1 data (op-node's safe head). Set by derivation through <see cref="SetSafeAndFinalized"/>;
    /// until then it is genesis, not the head: nothing this node sequenced is known to be on L1. Kept in memory only:
    /// after a restart derivation sets it again.
    /// </summary>
    public BlockHeader Safe => Volatile.Read(ref _safe);

    /// <summary>The newest block derived from finalized L1 blocks; genesis until derivation says otherwise.</summary>
    public BlockHeader Finalized => Volatile.Read(ref _finalized);

    /// <summary>Moves the safe and finalized heads (derivation calls this). Both must be canonical blocks not above the head, finalized ≤ safe.</summary>
    public void SetSafeAndFinalized(BlockHeader safe, BlockHeader finalized)
    {
        if (finalized.Number > safe.Number) throw new ArgumentException($"finalized block {finalized.Number} is above safe block {safe.Number}");
        if (safe.Number > Head.Number) throw new ArgumentException($"safe block {safe.Number} is above the head {Head.Number}");
        if (CanonicalHash(safe.Number) != safe.Hash) throw new ArgumentException($"safe block {safe.Number} {safe.Hash} is not canonical");
        if (CanonicalHash(finalized.Number) != finalized.Hash) throw new ArgumentException($"finalized block {finalized.Number} {finalized.Hash} is not canonical");
        Volatile.Write(ref _safe, safe);
        Volatile.Write(ref _finalized, finalized);
    }

    private long _totalTransactions;
    private long _totalGas;

    /// <summary>Transactions and gas committed since this process started (for metrics).</summary>
    public long TotalTransactions => Interlocked.Read(ref _totalTransactions);
    public long TotalGas => Interlocked.Read(ref _totalGas);

    /// <summary>Dev mode's clock, state edits and snapshots; null on a production node (see <see cref="EnableDevMode"/>).</summary>
    public Dev.DevControls? Dev { get; private set; }

    /// <summary>Turns on dev mode (the devnet only): block timestamps follow <see cref="Dev"/>'s clock and blocks apply its state edits.</summary>
    public Dev.DevControls EnableDevMode() => Dev ??= new Dev.DevControls();

    /// <summary>Raised after each block is committed (on the producing thread).</summary>
    public event Action<NewBlock>? BlockCommitted;

    private Blockchain(ChainConfig config, ChainStore store, BlockHeader genesis, BlockHeader head, Address coinbase, TxPoolOptions poolOptions)
    {
        Config = config;
        Store = store;
        Genesis = genesis;
        _head = head;
        _safe = genesis;
        _finalized = genesis;
        _headState = new StateTrie(store.Store, head.StateRoot);
        _producer = new BlockProducer(config, coinbase);
        var (baseFee, _) = _producer.NextFees(head);
        Pool = new TxPool.TxPool(poolOptions, config.ChainId, SpecAt(NextTimestamp(head)), new HeadStateView(store.Store, head.StateRoot, config.Optimism), baseFee, head.GasLimit);
    }

    /// <summary>Opens the chain in <paramref name="kv"/>, writing genesis on first use; refuses a store that holds another chain.</summary>
    public static Blockchain Open(IKeyValueStore kv, GenesisSpec genesis, Address coinbase, TxPoolOptions? poolOptions = null)
    {
        try
        {
            return OpenCore(kv, genesis, coinbase, poolOptions);
        }
        catch
        {
            kv.Dispose(); // the chain owns the store from here on; do not leave a RocksDB lock behind
            throw;
        }
    }

    private static Blockchain OpenCore(IKeyValueStore kv, GenesisSpec genesis, Address coinbase, TxPoolOptions? poolOptions)
    {
        var store = new ChainStore(kv);
        var genesisHeader = BuildGenesis(genesis, out var genesisState);
        var stored = store.GetCanonicalHash(0);
        BlockHeader head;
        if (stored is null)
        {
            using var batch = kv.CreateBatch();
            var root = genesisState.Commit(batch);
            if (root != genesisHeader.StateRoot) throw new InvalidOperationException("genesis state root changed while committing");
            store.StageBlock(batch, genesisHeader, [], [], []);
            batch.Commit();
            head = genesisHeader;
        }
        else
        {
            if (stored.Value != genesisHeader.Hash)
                throw new InvalidOperationException($"the data directory holds a chain with genesis {stored.Value}, but this configuration's genesis is {genesisHeader.Hash}; use another --datadir");
            var headHash = store.HeadHash ?? throw new InvalidOperationException("data directory has a genesis but no head pointer: it is corrupt");
            head = store.GetHeader(headHash) ?? throw new InvalidOperationException($"head block {headHash} is missing from the data directory: it is corrupt");
        }
        return new Blockchain(genesis.Config, store, genesisHeader, head, coinbase, poolOptions ?? new TxPoolOptions());
    }

    /// <summary>The genesis header and its state, built in memory from the spec.</summary>
    public static BlockHeader BuildGenesis(GenesisSpec genesis, out StateTrie state)
    {
        state = new StateTrie();
        foreach (var (address, account) in genesis.Alloc)
        {
            var codeHash = state.PutCode(account.Code);
            state.SetAccount(address, account.Nonce, account.Balance, codeHash);
            foreach (var (slot, value) in account.Storage) state.SetStorage(address, slot, value);
        }
        return new BlockHeader
        {
            ParentHash = default,
            Coinbase = genesis.Coinbase,
            StateRoot = state.RootHash,
            Number = 0,
            GasLimit = genesis.GasLimit,
            Timestamp = genesis.Timestamp,
            ExtraData = genesis.ExtraData,
            MixHash = genesis.MixHash,
            BaseFeePerGas = genesis.BaseFeePerGas,
            RequestsHash = genesis.Config.SpecAt(genesis.Timestamp).HasRequestsHash ? BlockHeader.EmptyRequestsHash : null,
        };
    }

    /// <summary>Where this node's blocks pay their fees (eth_coinbase).</summary>
    public Address Coinbase => _producer.Coinbase;

    /// <summary>The base fee the next block will have.</summary>
    public UInt256 NextBaseFee => _producer.NextFees(Head).BaseFee;

    /// <summary>
    /// Builds, executes and atomically commits the next block from the pool. Returns null when there is
    /// nothing to include and <paramref name="allowEmpty"/> is false. A chain without rollup rules only (see
    /// <see cref="BuildBlock"/> for blocks with forced transactions such as the L1 attributes deposit).
    /// </summary>
    public NewBlock? ProduceBlock(ulong timestamp, bool allowEmpty = true, int maxTransactions = 10_000)
    {
        lock (_produceLock)
        {
            if (Dev != null) timestamp = Dev.BlockTimestamp(timestamp); // dev mode's clock (never on a rollup chain)
            return BuildBlock(new PayloadAttributes { Timestamp = Math.Max(timestamp, Head.Timestamp + 1) }, allowEmpty, maxTransactions);
        }
    }

    /// <summary>
    /// The one way blocks are made (sequencer and derivation alike): builds the block <paramref name="attributes"/> describe
    /// on the head (forced transactions, then the pool's unless NoTxPool), executes and atomically commits it.
    /// Throws <see cref="InvalidPayloadException"/> (nothing committed) when the attributes cannot make a block. Returns
    /// null only when <paramref name="allowEmpty"/> is false and the pool had nothing (forced transactions alone do not count).
    /// </summary>
    public NewBlock? BuildBlock(PayloadAttributes attributes, bool allowEmpty = true, int maxTransactions = 10_000)
    {
        lock (_produceLock)
        {
            var head = Head;
            var (baseFee, _) = _producer.NextFees(head);
            var candidates = attributes.NoTxPool ? [] : Pool.SelectForBlock(baseFee, maxTransactions);
            var edits = Dev?.TakeEdits();
            if (candidates.Count == 0 && !allowEmpty && edits is not { Count: > 0 }) return null;

            ProducedBlock produced;
            try
            {
                // Dev-mode state edits land in this block's state before its transactions run.
                if (edits != null) foreach (var edit in edits) edit.Apply(_headState);
                produced = _producer.Build(head, _headState, attributes, candidates, CanonicalHash);
                using var batch = Store.Store.CreateBatch();
                var root = produced.State.Commit(batch);
                if (root != produced.Header.StateRoot) throw new InvalidOperationException("state root changed between execution and commit");
                Store.StageBlock(batch, produced.Header, produced.Transactions.Select(t => t.Encoded).ToArray(),
                    produced.Transactions.Select(t => t.Hash).ToArray(), produced.Receipts);
                batch.Commit();
            }
            catch
            {
                // The in-memory trie may hold half-applied changes: start again from the committed head.
                _headState = new StateTrie(Store.Store, head.StateRoot);
                _blocksSinceReopen = 0;
                if (edits != null) Dev!.RestoreEdits(edits);
                throw;
            }

            // The committed trie stays valid at the new root (its nodes now count as stored), so the next
            // block reuses its decoded nodes instead of re-reading them from the store. Reopen now and then
            // so a long-running node does not keep every node it ever touched in memory.
            if (++_blocksSinceReopen >= ReopenEveryBlocks)
            {
                _headState = new StateTrie(Store.Store, produced.Header.StateRoot);
                _blocksSinceReopen = 0;
            }
            Volatile.Write(ref _head, produced.Header);
            Interlocked.Add(ref _totalTransactions, produced.Transactions.Count);
            Interlocked.Add(ref _totalGas, (long)produced.Header.GasUsed);
            foreach (var r in produced.Rejected) Pool.Remove(r.Hash);
            Pool.OnNewHead(new HeadStateView(Store.Store, produced.Header.StateRoot, Config.Optimism), _producer.NextFees(produced.Header).BaseFee, produced.Header.GasLimit,
                SpecAt(NextTimestamp(produced.Header)));

            var block = new Block(produced.Header, produced.Transactions.Select(t => t.Transaction).ToArray(), produced.Transactions.Select(t => t.Hash).ToArray());
            Store.RememberBlock(block, produced.Receipts);
            var committed = new NewBlock(block, produced.Receipts);
            BlockCommitted?.Invoke(committed);
            return committed;
        }
    }

    /// <summary>
    /// Dev mode's evm_revert: makes the canonical block <paramref name="target"/> the head again, in one atomic write
    /// (later blocks leave the canonical index and their transactions the transaction index; their data stays stored
    /// by hash, as a reorg leaves it). The pool re-reads nonces and balances at the new head; transactions that were
    /// in the removed blocks are not put back, as anvil does not.
    /// </summary>
    public void Rewind(BlockHeader target)
    {
        lock (_produceLock)
        {
            var head = Head;
            if (Store.GetCanonicalHash(target.Number) != target.Hash)
                throw new InvalidOperationException($"block {target.Hash} is not on the canonical chain");
            if (target.Number >= head.Number) return;
            using (var batch = Store.Store.CreateBatch())
            {
                for (ulong n = target.Number + 1; n <= head.Number; n++)
                    Store.StageRemoval(batch, Store.GetBlock(Store.GetCanonicalHash(n)!.Value)!);
                Store.StageHead(batch, target.Hash);
                batch.Commit();
            }
            _headState = new StateTrie(Store.Store, target.StateRoot);
            _blocksSinceReopen = 0;
            Volatile.Write(ref _head, target);
            Pool.OnNewHead(new HeadStateView(Store.Store, target.StateRoot, Config.Optimism), _producer.NextFees(target).BaseFee, target.GasLimit);
        }
    }

    /// <summary>The non-deposit transactions of the canonical blocks above <paramref name="target"/>, in chain order: what a rewind to it takes out.</summary>
    public List<Primitives.Transactions.Transaction> TransactionsAbove(BlockHeader target)
    {
        var removed = new List<Primitives.Transactions.Transaction>();
        for (var h = Head; h.Number > target.Number; h = Store.GetHeader(h.ParentHash)!)
            removed.InsertRange(0, Store.GetBlock(h.Hash)!.Transactions.Where(t => !t.IsDeposit));
        return removed;
    }

    /// <summary>
    /// Puts transactions of blocks a reorg removed back in the pool (op-geth re-injects them the same way), in order, so a
    /// sender's later nonces follow its earlier ones; those the new chain already holds or made invalid are skipped.
    /// Returns how many went back.
    /// </summary>
    public int Repool(IEnumerable<Primitives.Transactions.Transaction> transactions)
    {
        int added = 0;
        foreach (var tx in transactions)
        {
            try { Pool.Add(tx); added++; }
            catch (TxPool.TxPoolException) { } // included again, or no longer valid on the new chain
        }
        return added;
    }

    /// <summary>A fresh read-only view of the state after block <paramref name="header"/>.</summary>
    public StateTrie StateAt(BlockHeader header) => new(Store.Store, header.StateRoot);

    public BlockContext ContextFor(BlockHeader header) => _producer.Context(header, CanonicalHash);

    /// <summary>A transaction processor with this chain's rules (fee routing); <paramref name="simulation"/> for eth_call semantics.</summary>
    public Evm.Transactions.TransactionProcessor CreateProcessor(bool simulation = false) => CreateProcessor(NextTimestamp(Head), simulation);

    /// <summary>The processor for a block with this timestamp: its fork's rules and this chain's fee rules.</summary>
    public Evm.Transactions.TransactionProcessor CreateProcessor(ulong timestamp, bool simulation = false) => BlockProducer.CreateProcessor(Config, SpecAt(timestamp), simulation);

    /// <summary>The header a call "on top of" <paramref name="parent"/> executes in (pending block semantics).</summary>
    public BlockHeader NextHeaderTemplate(BlockHeader parent, ulong timestamp)
    {
        ulong time = Math.Max(timestamp, parent.Timestamp + 1);
        var (baseFee, excessBlobGas) = _producer.NextFees(parent, time);
        return parent with
        {
            ParentHash = parent.Hash,
            Number = parent.Number + 1,
            Timestamp = time,
            BaseFeePerGas = baseFee,
            ExcessBlobGas = excessBlobGas,
            GasUsed = 0,
            BlobGasUsed = 0,
            RequestsHash = SpecAt(time).HasRequestsHash ? BlockHeader.EmptyRequestsHash : null,
        };
    }

    private Hash256 CanonicalHash(ulong number) => Store.GetCanonicalHash(number) ?? default;

    public void Dispose() => Store.Store.Dispose();
}
