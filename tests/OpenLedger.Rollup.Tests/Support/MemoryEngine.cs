using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;

namespace OpenLedger.Rollup.Tests.Support;

/// <summary>
/// An execution engine in memory: a block's hash commits to its parent, timestamp, gas limit, prevRandao and every
/// transaction (the L1 attributes deposit included), so two chains agree only if their attributes do.
/// </summary>
public sealed class MemoryEngine : IExecutionEngine
{
    private readonly List<(L2BlockRef Ref, PayloadAttributes? Attrs)> _chain = [];

    public MemoryEngine(RollupConfig config)
    {
        _chain.Add((new L2BlockRef(config.GenesisL2.Hash, config.GenesisL2.Number, Hash256.Zero, config.GenesisL2Time, config.GenesisL1, 0), null));
    }

    public L2BlockRef SafeHead => _chain[^1].Ref;
    public IReadOnlyList<L2BlockRef> Blocks => _chain.Select(c => c.Ref).ToList();
    public PayloadAttributes? AttributesOf(ulong n) => _chain[(int)n].Attrs;

    public static Hash256 HashOf(L2BlockRef parent, PayloadAttributes a)
    {
        var ms = new MemoryStream();
        ms.Write(parent.Hash.Bytes);
        ms.Write(BitConverter.GetBytes(a.Timestamp));
        ms.Write(BitConverter.GetBytes(a.GasLimit));
        ms.Write(a.PrevRandao.Bytes);
        ms.Write(a.SuggestedFeeRecipient.Bytes);
        foreach (var t in a.Transactions) { ms.Write(BitConverter.GetBytes(t.Length)); ms.Write(t); }
        return Keccak256.Compute(ms.ToArray());
    }

    public Task<L2BlockRef> ExecuteAsync(L2BlockRef parent, PayloadAttributes a, CancellationToken ct = default)
    {
        if (parent != SafeHead) throw new InvalidOperationException("parent is not the head");
        var r = new L2BlockRef(HashOf(parent, a), parent.Number + 1, parent.Hash, a.Timestamp, a.L1Origin, a.SequenceNumber);
        _chain.Add((r, a));
        return Task.FromResult(r);
    }

    public Task RewindAsync(L2BlockRef block, CancellationToken ct = default)
    {
        _chain.RemoveRange((int)block.Number + 1, _chain.Count - (int)block.Number - 1);
        return Task.CompletedTask;
    }

    public L2BlockRef? BlockByNumber(ulong number) => number < (ulong)_chain.Count ? _chain[(int)number].Ref : null;

    public IReadOnlyList<byte[]>? SequencerTransactions(ulong number) =>
        number < (ulong)_chain.Count && _chain[(int)number].Attrs is { } a ? a.Transactions.Skip(a.DepositCount).ToList() : number == 0 ? [] : null;
}
