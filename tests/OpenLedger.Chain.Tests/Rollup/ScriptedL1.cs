using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Tests.Rollup;

/// An in-memory L1 the test extends block by block (a test seam for <see cref="IL1BlockSource"/>; anvil-backed tests use the Nethereum source).
internal sealed class ScriptedL1 : IL1BlockSource
{
    private readonly List<L1BlockRef> _blocks = [];

    public ScriptedL1(ulong genesisTime) => Add(genesisTime);

    public L1BlockRef this[int i] => _blocks[i];
    public L1BlockRef Head => _blocks[^1];

    public L1BlockRef Add(ulong timestamp, string salt = "")
    {
        var number = (ulong)_blocks.Count;
        var parent = _blocks.Count == 0 ? default : _blocks[^1].Hash;
        var block = new L1BlockRef(number, Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes($"l1-{number}-{salt}")), parent, timestamp, new UInt256(7_000_000_000 + number), UInt256.One);
        _blocks.Add(block);
        return block;
    }

    /// Replaces the head block with another at the same height (an L1 reorg).
    public void ReorgHead(string salt)
    {
        var old = _blocks[^1];
        _blocks.RemoveAt(_blocks.Count - 1);
        Add(old.Timestamp, salt);
    }

    public Task<L1BlockRef> GetHeadAsync(CancellationToken ct) => Task.FromResult(Head);
    public Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken ct) => Task.FromResult(number < (ulong)_blocks.Count ? _blocks[(int)number] : null);
}
