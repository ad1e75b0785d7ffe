using OpenLedger.Chain;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using ChainAttributes = OpenLedger.Chain.Execution.PayloadAttributes;

namespace OpenLedger.Rollup.Engine;

/// <summary>
/// Where derivation meets the chain: derived payload attributes are executed by <see cref="Blockchain.BuildBlock"/>,
/// the chain's one execution path, and each derived block becomes the safe head. For a replica, whose chain holds
/// only derived blocks. The chain has no rewind yet, so an L1 reorg below the safe head is reported, not handled.
/// </summary>
public sealed class ChainEngine(Blockchain chain, RollupConfig config) : IExecutionEngine
{
    public Blockchain Chain => chain;

    public L2BlockRef SafeHead => BlockByNumber(chain.Head.Number) ?? throw new InvalidOperationException("chain head is not readable");

    public Task<L2BlockRef> ExecuteAsync(L2BlockRef parent, PayloadAttributes a, CancellationToken ct = default)
    {
        if (parent.Hash != chain.Head.Hash) throw new InvalidOperationException($"derived block's parent {parent} is not the chain head {chain.Head.Hash}");
        var attrs = new ChainAttributes
        {
            Timestamp = a.Timestamp,
            Transactions = a.Transactions.Select(t => TxDecoder.Decode(t)).ToList(),
            NoTxPool = true,
            PrevRandao = a.PrevRandao,
            FeeRecipient = a.SuggestedFeeRecipient,
            GasLimit = a.GasLimit,
        };
        var built = chain.BuildBlock(attrs) ?? throw new InvalidOperationException("the chain built no block from derived attributes");
        chain.SetSafeAndFinalized(built.Block.Header, chain.Finalized);
        return Task.FromResult(new L2BlockRef(built.Block.Hash, built.Block.Number, built.Block.Header.ParentHash, a.Timestamp, a.L1Origin, a.SequenceNumber));
    }

    public Task RewindAsync(L2BlockRef block, CancellationToken ct = default) =>
        throw new NotSupportedException($"an L1 reorg needs the chain rewound to {block}, and Blockchain has no rewind yet");

    public L2BlockRef? BlockByNumber(ulong number)
    {
        var header = chain.Store.GetHeader(number);
        if (header is null) return null;
        if (number == config.GenesisL2.Number) return new L2BlockRef(header.Hash, number, header.ParentHash, header.Timestamp, config.GenesisL1, 0);
        var block = chain.Store.GetBlock(header.Hash) ?? throw new InvalidOperationException($"block {number} missing from the store");
        var info = L1BlockInfo.FromBlock(block) ?? throw new InvalidOperationException($"block {number} has no L1 attributes deposit");
        return new L2BlockRef(header.Hash, number, header.ParentHash, header.Timestamp, new BlockId(info.Hash, info.Number), info.SequenceNumber);
    }

    public IReadOnlyList<byte[]>? SequencerTransactions(ulong number)
    {
        var header = chain.Store.GetHeader(number);
        if (header is null) return null;
        var block = chain.Store.GetBlock(header.Hash);
        return block?.Transactions.Where(t => !t.IsDeposit).Select(t => t.Encode()).ToList();
    }
}
