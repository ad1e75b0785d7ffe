using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Fees;
using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Receipts;
using OpenLedger.Chain.TxPool;
using OpenLedger.Evm;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.Accounts;
using OpenLedger.State.World;

namespace OpenLedger.Chain.Execution;

/// <summary>A block built and executed but not yet committed: header, transactions, receipts and the state to commit.</summary>
public sealed record ProducedBlock(
    BlockHeader Header,
    IReadOnlyList<PooledTransaction> Transactions,
    IReadOnlyList<Receipt> Receipts,
    IReadOnlyList<PooledTransaction> Rejected,
    StateTrie State);

/// <summary>
/// Builds the next block on a parent under the fork its timestamp selects: runs the fork's system calls (EIP-2935),
/// then forced and pool transactions in order on the parent's state, skipping any the EVM rejects or that would break
/// the block's gas, blob or size limits (EIP-7934), and derives the header (roots, bloom, gas, fees, requestsHash).
/// </summary>
public sealed class BlockProducer(ChainConfig config, Address coinbase)
{
    /// <summary>The transaction processor this chain's rules call for (block building, replays, simulations alike).</summary>
    /// <param name="signedTransactions">
    /// False for calls built from call objects (eth_call, eth_estimateGas, eth_simulateV1): no L1 data fee, as op-geth.
    /// A rollup's block building and replays of its blocks charge it (simulation mode off).
    /// </param>
    public static TransactionProcessor CreateProcessor(ChainConfig config, ForkSpec spec, bool simulation, bool signedTransactions = true) => new(spec)
    {
        SimulationMode = simulation,
        BaseFeeRecipient = config.Optimism ? Rollup.Predeploys.BaseFeeVault : null,
        L1DataFee = config.Optimism && !simulation && signedTransactions ? Rollup.Fees.L1DataFee.Charge : null,
    };

    public Address Coinbase { get; } = coinbase;

    /// <summary>The fork of a block with this timestamp.</summary>
    public ForkSpec SpecAt(ulong timestamp) => config.SpecAt(timestamp);

    /// <summary>
    /// Base fee and excess blob gas of the block that follows <paramref name="parent"/> at <paramref name="timestamp"/>
    /// (default: one second after the parent); blob parameters are the child's fork's (EIP-7691, EIP-7918).
    /// </summary>
    public (UInt256 BaseFee, ulong ExcessBlobGas) NextFees(BlockHeader parent, ulong? timestamp = null)
    {
        var spec = SpecAt(timestamp ?? parent.Timestamp + 1);
        var parentSpec = SpecAt(parent.Timestamp);
        var parentBlobBaseFee = BlockContext.FakeExponential(new UInt256(parentSpec.MinBlobBaseFee), new UInt256(parent.ExcessBlobGas), new UInt256(parentSpec.BlobBaseFeeUpdateFraction));
        return (BaseFee.Next(parent.BaseFeePerGas, parent.GasUsed, parent.GasLimit, config.BaseFeeElasticity, config.BaseFeeChangeDenominator, config.MinBaseFee),
                BaseFee.NextExcessBlobGas(parent.ExcessBlobGas, parent.BlobGasUsed, parent.BaseFeePerGas, parentBlobBaseFee, spec));
    }

    public BlockContext Context(BlockHeader header, Func<ulong, Hash256>? blockHashes) => new()
    {
        Coinbase = header.Coinbase,
        Number = header.Number,
        Timestamp = header.Timestamp,
        GasLimit = header.GasLimit,
        BaseFee = header.BaseFeePerGas,
        PrevRandao = header.MixHash,
        ChainId = new UInt256(config.ChainId),
        ExcessBlobGas = header.ExcessBlobGas,
        BlockHashes = blockHashes,
    };

    /// <summary>The pool-only block the pre-rollup code made: attributes with just a timestamp (at least parent + 1).</summary>
    public ProducedBlock Produce(BlockHeader parent, StateTrie parentState, IReadOnlyList<PooledTransaction> candidates, ulong timestamp, Func<ulong, Hash256>? blockHashes) =>
        Build(parent, parentState, new PayloadAttributes { Timestamp = Math.Max(timestamp, parent.Timestamp + 1) }, candidates, blockHashes);

    /// <summary>
    /// Builds the block <paramref name="attributes"/> describe on <paramref name="parent"/>: forced transactions first (each
    /// must be valid, else <see cref="InvalidPayloadException"/>), then, unless NoTxPool, the pool candidates that are valid
    /// and fit. State changes land in <paramref name="parentState"/> (uncommitted); the caller commits or discards it.
    /// </summary>
    public ProducedBlock Build(BlockHeader parent, StateTrie parentState, PayloadAttributes attributes, IReadOnlyList<PooledTransaction> candidates, Func<ulong, Hash256>? blockHashes)
    {
        if (attributes.Timestamp <= parent.Timestamp)
            throw new InvalidPayloadException($"timestamp {attributes.Timestamp} is not above the parent's {parent.Timestamp}");
        var spec = SpecAt(attributes.Timestamp);
        var (baseFee, excessBlobGas) = NextFees(parent, attributes.Timestamp);
        var template = new BlockHeader
        {
            ParentHash = parent.Hash,
            Coinbase = attributes.FeeRecipient ?? Coinbase,
            StateRoot = default,
            Number = parent.Number + 1,
            GasLimit = attributes.GasLimit ?? parent.GasLimit,
            Timestamp = attributes.Timestamp,
            BaseFeePerGas = baseFee,
            // PREVRANDAO: a sequencer has no beacon randomness; derive it from the parent so it is deterministic and unpredictable before the parent exists.
            MixHash = attributes.PrevRandao ?? Keccak256.Compute(parent.Hash.Bytes),
            ExcessBlobGas = excessBlobGas,
            ParentBeaconBlockRoot = attributes.ParentBeaconBlockRoot ?? default,

            RequestsHash = spec.HasRequestsHash ? BlockHeader.EmptyRequestsHash : null,
        };
        var context = Context(template, blockHashes);
        var block = new BlockBuilder(CreateProcessor(config, spec, simulation: false), template, context, parentState);
        block.RunSystemCalls(parent.Hash);

        for (int i = 0; i < attributes.Transactions.Count; i++)
        {
            var tx = attributes.Transactions[i];
            var ptx = Forced(tx, i, spec);
            var error = block.TryAdd(ptx);
            if (error != null) throw new InvalidPayloadException($"forced transaction {i} ({ptx.Hash}): {error}");
        }
        if (!attributes.NoTxPool)
        {
            foreach (var ptx in candidates)
            {
                var error = block.TryAdd(ptx);
                if (error != null && error != BlockBuilder.DoesNotFit) block.Rejected.Add(ptx);
            }
        }
        return block.Finish();
    }

    private PooledTransaction Forced(Transaction tx, int index, ForkSpec spec)
    {
        if (tx.Type == TxType.Deposit) return new PooledTransaction(tx, tx.DepositFrom, tx.Encode());
        if (!TxValidator.IsValid(tx, spec, config.ChainId, out var sender, out var invalid))
            throw new InvalidPayloadException($"forced transaction {index}: {invalid!.Message}");
        return new PooledTransaction(tx, sender, tx.Encode());
    }

    /// <summary>One block being filled under one fork: system calls, execution, receipts, gas, blob and size accounting.</summary>
    private sealed class BlockBuilder(TransactionProcessor processor, BlockHeader template, BlockContext context, StateTrie parentState)
    {
        /// <summary>Room kept for the header (under 1 KiB even with long extra data), the block's list headers and empty ommers/withdrawals.</summary>
        private const long HeaderAndFramingReserve = 2048;
        private ForkSpec Spec => processor.Spec;
        public const string DoesNotFit = "does not fit the block's remaining gas";
        private readonly TrieWorldSource _source = new(parentState);
        private WorldState? _worldState;
        private WorldState _world => _worldState ??= new WorldState(_source);
        private readonly List<PooledTransaction> _included = [];
        private readonly List<Receipt> _receipts = [];
        private readonly Bloom _bloom = new();
        private ulong _gasUsed, _blobGasUsed;
        private readonly UInt256 _blobBaseFee = context.BlobBaseFee(processor.Spec);
        // EIP-7934: the encoded block stays under the fork's cap.
        private long _blockSize = HeaderAndFramingReserve;
        public List<PooledTransaction> Rejected { get; } = [];

        /// <summary>Before any transaction: EIP-2935 stores the parent's hash in the history contract.</summary>
        public void RunSystemCalls(Hash256 parentHash) => SystemCall.StoreParentHash(_world, Spec, context, parentHash);

        /// <summary>Null when included; <see cref="DoesNotFit"/> (stays in the pool) or the EVM's rejection reason.</summary>
        public string? TryAdd(PooledTransaction ptx)
        {
            var tx = ptx.Transaction;
            if (_gasUsed + tx.GasLimit > template.GasLimit) return DoesNotFit;
            ulong blobGas = (ulong)tx.BlobVersionedHashes.Count * Spec.BlobGasPerBlob;
            if (_blobGasUsed + blobGas > Spec.MaxBlobGasPerBlock) return DoesNotFit;
            long txSize = Rlp.LengthOf(ptx.Encoded);
            if (Spec.MaxBlockRlpSize is { } maxSize && _blockSize + txSize > maxSize) return DoesNotFit;

            var result = processor.Execute(_world, context, tx, ptx.Sender);
            if (!result.IsValid) return result.Rejection;
            _gasUsed += (ulong)result.GasUsed;
            _blobGasUsed += blobGas;
            _blockSize += txSize;
            var receipt = new Receipt
            {
                Type = tx.Type,
                Success = result.Success,
                CumulativeGasUsed = _gasUsed,
                Logs = result.Logs,
                Bloom = Bloom.FromLogs(result.Logs),
                From = ptx.Sender,
                GasUsed = (ulong)result.GasUsed,
                EffectiveGasPrice = tx.IsDeposit ? UInt256.Zero : EffectiveGasPrice(tx, template.BaseFeePerGas),
                ContractAddress = result.ContractAddress,
                BlobGasUsed = blobGas,
                BlobGasPrice = blobGas == 0 ? UInt256.Zero : _blobBaseFee,
                DepositNonce = result.DepositNonce,
                DepositReceiptVersion = result.DepositNonce.HasValue ? 1UL : null,
            };
            _bloom.Accumulate(receipt.Bloom);
            _receipts.Add(receipt);
            _included.Add(ptx);
            return null;
        }

        public ProducedBlock Finish()
        {
            _source.Apply(_world.Commit());
            var header = template with
            {
                StateRoot = parentState.RootHash,
                TransactionsRoot = DerivedRoots.Compute(_included.Select(t => t.Encoded).ToArray()),
                ReceiptsRoot = DerivedRoots.Compute(_receipts.Select(r => r.EncodeConsensus()).ToArray()),
                LogsBloom = _bloom.Bytes.ToArray(),
                GasUsed = _gasUsed,
                BlobGasUsed = _blobGasUsed,
            };
            return new ProducedBlock(header, _included, _receipts, Rejected, parentState);
        }
    }

    public static UInt256 EffectiveGasPrice(Transaction tx, UInt256 baseFee)
    {
        if (tx.IsDeposit) return UInt256.Zero;
        if (!tx.HasDynamicFee) return tx.GasPrice;
        var tip = tx.MaxFeePerGas - baseFee;
        if (tx.MaxPriorityFeePerGas < tip) tip = tx.MaxPriorityFeePerGas;
        return baseFee + tip;
    }
}
