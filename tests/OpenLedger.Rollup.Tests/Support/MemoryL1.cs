using OpenLedger.Rollup.Derivation;

namespace OpenLedger.Rollup.Tests.Support;

/// <summary>An L1 chain in memory (the IL1Source test seam): blocks appended with chosen transactions; reorgs replace a suffix.</summary>
public sealed class MemoryL1 : IL1Source
{
    private readonly List<L1Block> _blocks = [];
    public ulong BlockTime { get; } = 2;
    public ulong? Finalized { get; set; }
    private int _salt;

    public MemoryL1(ulong genesisTime)
    {
        _blocks.Add(Make(0, Hash256.Zero, genesisTime, []));
    }

    public IReadOnlyList<L1Block> Blocks => _blocks;
    public L1Block Head => _blocks[^1];

    public L1Block Add(params L1Transaction[] txs)
    {
        var b = Make(Head.Number + 1, Head.Hash, Head.Time + BlockTime, txs);
        _blocks.Add(b);
        return b;
    }

    /// <summary>Drops blocks above <paramref name="keep"/>; new blocks get different hashes.</summary>
    public void Rollback(ulong keep)
    {
        _blocks.RemoveRange((int)keep + 1, _blocks.Count - (int)keep - 1);
        _salt++;
    }

    private L1Block Make(ulong number, Hash256 parent, ulong time, IReadOnlyList<L1Transaction> txs)
    {
        var seed = new byte[48];
        BitConverter.TryWriteBytes(seed.AsSpan(0), number);
        BitConverter.TryWriteBytes(seed.AsSpan(8), _salt);
        parent.Bytes.CopyTo(seed.AsSpan(16));
        var hash = Keccak256.Compute(seed);
        var r = new L1BlockRef(hash, number, parent, time);
        return new L1Block(r, new UInt256(1_000_000_000 + number), UInt256.One, Keccak256.Compute(hash.Bytes), null, txs, []);
    }

    public Task<L1Block?> BlockByNumberAsync(ulong number, CancellationToken ct = default) =>
        Task.FromResult(number < (ulong)_blocks.Count ? _blocks[(int)number] : null);

    public Task<L1BlockRef?> FinalizedAsync(CancellationToken ct = default) =>
        Task.FromResult(Finalized is { } f && f < (ulong)_blocks.Count ? _blocks[(int)f].Ref : null);
}
