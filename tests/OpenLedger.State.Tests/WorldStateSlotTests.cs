using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.State.Tests;

/// <summary>
/// SSTORE's one-lookup path (<see cref="WorldState.StoreStorage"/>) and the slot cache behind it with thousands of
/// slots (past its chunk size and through several index growths), checked against a plain dictionary model.
/// </summary>
public class WorldStateSlotTests
{
    private static readonly Address A = Address.Parse("0x00000000000000000000000000000000000000aa");

    [Fact]
    public void StoreStorage_reports_current_original_and_cold_then_writes()
    {
        var source = new MemoryWorldSource();
        source.SetAccount(A, 1, UInt256.Zero, [0x00], [new(new UInt256(1), new UInt256(5))]);
        var w = new WorldState(source);
        w.BeginTransaction();

        var current = w.StoreStorage(A, new UInt256(1), new UInt256(7), out var original, out bool cold);
        Assert.Equal(new UInt256(5), current);
        Assert.Equal(new UInt256(5), original);
        Assert.True(cold);
        current = w.StoreStorage(A, new UInt256(1), new UInt256(8), out original, out cold);
        Assert.Equal(new UInt256(7), current);
        Assert.Equal(new UInt256(5), original);
        Assert.False(cold);

        // Same value: nothing written, but a cold slot still becomes warm (and a revert makes it cold again).
        var snap = w.TakeSnapshot();
        current = w.StoreStorage(A, new UInt256(2), UInt256.Zero, out original, out cold);
        Assert.True(cold);
        Assert.Equal(UInt256.Zero, current);
        Assert.False(w.WarmSlot(A, new UInt256(2)));
        w.Revert(snap);
        Assert.True(w.WarmSlot(A, new UInt256(2)));

        w.EndTransaction();
        w.BeginTransaction();
        w.StoreStorage(A, new UInt256(1), new UInt256(9), out original, out cold);
        Assert.Equal(new UInt256(8), original);
        Assert.True(cold);
    }

    [Fact]
    public void Reverting_a_cold_write_restores_value_and_coldness()
    {
        var source = new MemoryWorldSource();
        source.SetAccount(A, 1, UInt256.Zero, [0x00]);
        var w = new WorldState(source);
        w.BeginTransaction();
        var snap = w.TakeSnapshot();
        w.StoreStorage(A, new UInt256(3), new UInt256(4), out _, out bool cold);
        Assert.True(cold);
        w.Revert(snap);
        Assert.Equal(UInt256.Zero, w.GetStorage(A, new UInt256(3)));
        Assert.True(w.WarmSlot(A, new UInt256(3)));
    }

    [Fact]
    public void Thousands_of_slots_with_nested_reverts_commit_what_a_dictionary_model_holds()
    {
        var source = new MemoryWorldSource();
        var pre = new Dictionary<UInt256, UInt256>();
        for (ulong i = 0; i < 300; i++) pre[Key(i * 7)] = new UInt256(i + 1);
        source.SetAccount(A, 1, UInt256.Zero, [0x00], pre);
        var w = new WorldState(source);
        var model = new Dictionary<UInt256, UInt256>(pre);
        var rng = new Random(13);
        w.BeginTransaction();
        for (int round = 0; round < 6; round++)
        {
            var snap = w.TakeSnapshot();
            var before = new Dictionary<UInt256, UInt256>(model);
            for (int n = 0; n < 1500; n++)
            {
                var key = Key((ulong)rng.Next(0, 5000));
                var value = rng.Next(4) == 0 ? UInt256.Zero : new UInt256((ulong)rng.Next(1, 1000));
                var current = w.StoreStorage(A, key, value, out _, out _);
                Assert.Equal(model.GetValueOrDefault(key), current);
                model[key] = value;
            }
            // Every other round is reverted as a failed call would be.
            if (round % 2 == 1)
            {
                w.Revert(snap);
                model = before;
            }
        }
        foreach (var (k, v) in model) Assert.Equal(v, w.GetStorage(A, k));
        w.EndTransaction();

        source.Apply(w.Commit());
        var expected = model.Where(kv => !kv.Value.IsZero).ToDictionary();
        Assert.Equal(expected.Count, source.Accounts[A].Storage.Count);
        foreach (var (k, v) in expected) Assert.Equal(v, source.GetStorage(A, k));
        // A second commit has nothing left to write.
        Assert.DoesNotContain(w.Commit().Accounts, c => c.Storage.Count > 0);
    }

    // Keys spread like mapping slots (hashes), not only small integers.
    private static UInt256 Key(ulong i) => i % 2 == 0 ? new UInt256(i) : Word(Keccak256.Compute(BitConverter.GetBytes(i)));

    private static UInt256 Word(Hash256 h) => UInt256.FromBigEndian(h.Bytes);
}
