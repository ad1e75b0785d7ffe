using OpenLedger.Datanets.Indexing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Node.Bench.Datanets;

/// <summary>
/// A chain in memory for the indexer benchmark: one DatanetCreated, then <c>events</c> Contributed logs spread
/// <c>perBlock</c> to a block, ABI-encoded exactly as DatanetRegistry emits them. It isolates decoding and SQL from
/// JSON-RPC transport.
/// </summary>
public sealed class SyntheticChain : IChainSource
{
    private readonly List<RawLog> _logs = [];
    private readonly long _head;

    public SyntheticChain(string registry, int events, int perBlock)
    {
        var created = RegistryEvents.Datanet.Single(e => e.Name == "DatanetCreated");
        var contributed = RegistryEvents.Datanet.Single(e => e.Name == "Contributed");
        var owner = Address.Parse("0x00000000000000000000000000000000000a11ce");
        Hash256 Word(ulong v) => new(AbiEncoder.Encode(AbiType.UInt256, new UInt256(v)));
        var ownerTopic = new Hash256(AbiEncoder.Encode(AbiType.Address, owner));
        _logs.Add(new RawLog(1, 0, BlockHash(1), TxHash(1, 0), registry, [created.Topic0, Word(1), ownerTopic],
            AbiEncoder.Encode([AbiType.UInt(8), AbiType.String, AbiType.String, AbiType.String, AbiType.UInt(128), AbiType.UInt(64)],
                [new UInt256(0), "bench", "ipfs://bench", "CC0", UInt256.Zero, new UInt256(1 << 20)])));
        for (int i = 0; i < events; i++)
        {
            long block = 2 + i / perBlock;
            var contributor = new Address(Keccak256.Compute(BitConverter.GetBytes(i % 1000)).Bytes[..20]);
            _logs.Add(new RawLog(block, i % perBlock, BlockHash(block), TxHash(block, i), registry,
                [contributed.Topic0, Word((ulong)i + 1), Word(1), new Hash256(AbiEncoder.Encode(AbiType.Address, contributor))],
                AbiEncoder.Encode([AbiType.Bytes32, AbiType.UInt(64), AbiType.String, AbiType.UInt(128)],
                    [Keccak256.Compute(BitConverter.GetBytes(i)).ToArray(), new UInt256(1000), "", UInt256.Zero])));
        }
        _head = _logs[^1].BlockNumber + 1;
    }

    public int Events => _logs.Count;

    private static string BlockHash(long n) => Keccak256.Compute(BitConverter.GetBytes(n)).ToString();

    private static string TxHash(long n, int i) => Keccak256.Compute(BitConverter.GetBytes(n * 1_000_003 + i)).ToString();

    public Task<long> HeadAsync(CancellationToken ct) => Task.FromResult(_head);

    public Task<string?> BlockHashAsync(long number, CancellationToken ct) => Task.FromResult(number <= _head ? BlockHash(number) : null);

    public Task<IReadOnlyList<RawLog>> LogsAsync(long from, long to, IReadOnlyList<string> addresses, CancellationToken ct)
    {
        // _logs is sorted by block: binary search the range.
        int lo = LowerBound(from), hi = LowerBound(to + 1);
        return Task.FromResult<IReadOnlyList<RawLog>>(_logs.GetRange(lo, hi - lo));
    }

    private int LowerBound(long block)
    {
        int lo = 0, hi = _logs.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_logs[mid].BlockNumber < block) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
