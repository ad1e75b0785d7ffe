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
/// picks pool transactions by tip, executes them in order on the parent's state, skips any the EVM rejects or that
/// would break the block's gas, blob or size limits (EIP-7934), and derives the header (roots, bloom, gas, fees).
/// </summary>
public sealed class BlockProducer(ChainConfig config, Address coinbase)
{
    /// <summary>The fork of a block with this timestamp.</summary>
    public ForkSpec SpecAt(ulong timestamp) => config.SpecAt(timestamp);

    /// <summary>
    /// Base fee and excess blob gas of the block that follows <paramref name="parent"/> at <paramref name="timestamp"/>
    /// (default: one second after the parent).
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

    public ProducedBlock Produce(BlockHeader parent, StateTrie parentState, IReadOnlyList<PooledTransaction> candidates, ulong timestamp, Func<ulong, Hash256>? blockHashes)
    {
        ulong blockTime = Math.Max(timestamp, parent.Timestamp + 1);
        var spec = SpecAt(blockTime);
        var processor = new TransactionProcessor(spec);
        var (baseFee, excessBlobGas) = NextFees(parent, blockTime);
        // PREVRANDAO: a sequencer has no beacon randomness; derive it from the parent so it is deterministic and unpredictable before the parent exists.
        var prevRandao = Keccak256.Compute(parent.Hash.Bytes);
        var template = new BlockHeader
        {
            ParentHash = parent.Hash,
            Coinbase = coinbase,
            StateRoot = default,
            Number = parent.Number + 1,
            GasLimit = parent.GasLimit,
            Timestamp = blockTime,
            BaseFeePerGas = baseFee,
            MixHash = prevRandao,
            ExcessBlobGas = excessBlobGas,
            RequestsHash = spec.HasRequestsHash ? BlockHeader.EmptyRequestsHash : null,
        };
        var context = Context(template, blockHashes);

        var source = new TrieWorldSource(parentState);
        var world = new WorldState(source);
        var included = new List<PooledTransaction>();
        var rejected = new List<PooledTransaction>();
        var receipts = new List<Receipt>();
        var bloom = new Bloom();
        ulong gasUsed = 0, blobGasUsed = 0;
        ulong maxBlobGas = spec.MaxBlobGasPerBlock;
        var blobBaseFee = context.BlobBaseFee(spec);
        // EIP-7934: the encoded block stays under the cap; the header, list headers and an empty withdrawals list fit in the reserve.
        long blockSize = HeaderAndFramingReserve;

        // System calls before any transaction (EIP-2935: the parent's hash into the history contract).
        SystemCall.StoreParentHash(world, spec, context, parent.Hash);

        foreach (var ptx in candidates)
        {
            var tx = ptx.Transaction;
            if (gasUsed + tx.GasLimit > template.GasLimit) continue; // does not fit; stays in the pool
            ulong blobGas = (ulong)tx.BlobVersionedHashes.Count * spec.BlobGasPerBlob;
            if (blobGasUsed + blobGas > maxBlobGas) continue;
            long txSize = Rlp.LengthOf(ptx.Encoded);
            if (spec.MaxBlockRlpSize is { } maxSize && blockSize + txSize > maxSize) continue;

            var result = processor.Execute(world, context, tx, ptx.Sender);
            if (!result.IsValid)
            {
                rejected.Add(ptx);
                continue;
            }
            gasUsed += (ulong)result.GasUsed;
            blobGasUsed += blobGas;
            blockSize += txSize;
            var receipt = new Receipt
            {
                Type = tx.Type,
                Success = result.Success,
                CumulativeGasUsed = gasUsed,
                Logs = result.Logs,
                Bloom = Bloom.FromLogs(result.Logs),
                From = ptx.Sender,
                GasUsed = (ulong)result.GasUsed,
                EffectiveGasPrice = EffectiveGasPrice(tx, baseFee),
                ContractAddress = result.ContractAddress,
                BlobGasUsed = blobGas,
                BlobGasPrice = blobGas == 0 ? UInt256.Zero : blobBaseFee,
            };
            bloom.Accumulate(receipt.Bloom);
            receipts.Add(receipt);
            included.Add(ptx);
        }

        source.Apply(world.Commit());
        var header = template with
        {
            StateRoot = parentState.RootHash,
            TransactionsRoot = DerivedRoots.Compute(included.Select(t => t.Encoded).ToArray()),
            ReceiptsRoot = DerivedRoots.Compute(receipts.Select(r => r.EncodeConsensus()).ToArray()),
            LogsBloom = bloom.Bytes.ToArray(),
            GasUsed = gasUsed,
            BlobGasUsed = blobGasUsed,
        };
        return new ProducedBlock(header, included, receipts, rejected, parentState);
    }

    /// <summary>Room kept for the header (under 1 KiB even with long extra data), the block's list headers and empty ommers/withdrawals.</summary>
    private const long HeaderAndFramingReserve = 2048;

    public static UInt256 EffectiveGasPrice(Transaction tx, UInt256 baseFee)
    {
        if (!tx.HasDynamicFee) return tx.GasPrice;
        var tip = tx.MaxFeePerGas - baseFee;
        if (tx.MaxPriorityFeePerGas < tip) tip = tx.MaxPriorityFeePerGas;
        return baseFee + tip;
    }
}
