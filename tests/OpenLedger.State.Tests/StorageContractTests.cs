using System.Text;
using OpenLedger.State.Storage;

namespace OpenLedger.State.Tests;

/// <summary>The behaviour every <see cref="IKeyValueStore"/> must have; one subclass per implementation.</summary>
public abstract class StorageContractTests : IDisposable
{
    private readonly List<IKeyValueStore> _opened = [];

    protected abstract IKeyValueStore CreateStore();

    protected IKeyValueStore Open()
    {
        var s = CreateStore();
        _opened.Add(s);
        return s;
    }

    public virtual void Dispose()
    {
        foreach (var s in _opened) s.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Put_then_get_returns_the_value_and_missing_keys_are_absent()
    {
        var store = Open();
        store.Put(B("alpha"), B("1"));
        store.Put([0x00], [0xff, 0x00]);
        Assert.Equal(B("1"), store.Get(B("alpha")));
        Assert.Equal(new byte[] { 0xff, 0x00 }, store.TryGet([0x00]));
        Assert.True(store.Contains(B("alpha")));
        Assert.Null(store.TryGet(B("beta")));
        Assert.False(store.Contains(B("beta")));
        var e = Assert.Throws<KeyNotFoundException>(() => store.Get(B("beta")));
        Assert.Contains("0x62657461", e.Message);
    }

    [Fact]
    public void Put_overwrites_and_empty_values_are_kept_distinct_from_absence()
    {
        var store = Open();
        store.Put(B("k"), B("old"));
        store.Put(B("k"), B("new"));
        Assert.Equal(B("new"), store.Get(B("k")));
        store.Put(B("empty"), []);
        Assert.Equal(Array.Empty<byte>(), store.TryGet(B("empty")));
        Assert.True(store.Contains(B("empty")));
    }

    [Fact]
    public void Delete_removes_and_deleting_a_missing_key_is_harmless()
    {
        var store = Open();
        store.Put(B("k"), B("v"));
        store.Delete(B("k"));
        store.Delete(B("never"));
        Assert.Null(store.TryGet(B("k")));
    }

    [Fact]
    public void Uncommitted_batch_leaves_nothing()
    {
        var store = Open();
        store.Put(B("keep"), B("1"));
        using (var batch = store.CreateBatch())
        {
            batch.Put(B("a"), B("1"));
            batch.Delete(B("keep"));
            Assert.Equal(2, batch.Count);
            Assert.Null(store.TryGet(B("a")));
        }
        Assert.Null(store.TryGet(B("a")));
        Assert.Equal(B("1"), store.Get(B("keep")));
    }

    [Fact]
    public void Committed_batch_applies_all_operations_in_order()
    {
        var store = Open();
        store.Put(B("gone"), B("x"));
        using var batch = store.CreateBatch();
        batch.Put(B("a"), B("1"));
        batch.Put(B("b"), B("2"));
        batch.Put(B("a"), B("3"));
        batch.Put(B("c"), B("4"));
        batch.Delete(B("c"));
        batch.Delete(B("gone"));
        Assert.Null(store.TryGet(B("b")));
        batch.Commit();
        Assert.Equal(B("3"), store.Get(B("a")));
        Assert.Equal(B("2"), store.Get(B("b")));
        Assert.Null(store.TryGet(B("c")));
        Assert.Null(store.TryGet(B("gone")));
    }

    [Fact]
    public void A_batch_commits_once_and_rejects_writes_afterwards()
    {
        var store = Open();
        var batch = store.CreateBatch();
        batch.Put(B("a"), B("1"));
        batch.Commit();
        Assert.Throws<InvalidOperationException>(() => batch.Commit());
        Assert.Throws<InvalidOperationException>(() => batch.Put(B("b"), B("2")));
        batch.Dispose();
        Assert.Null(store.TryGet(B("b")));
    }

    [Fact]
    public void Batch_keys_and_values_are_copied_when_staged()
    {
        var store = Open();
        var key = B("k");
        var value = B("v1");
        using var batch = store.CreateBatch();
        batch.Put(key, value);
        value[1] = (byte)'9';
        key[0] = (byte)'x';
        batch.Commit();
        Assert.Equal(B("v1"), store.Get(B("k")));
    }

    [Fact]
    public void Changing_a_returned_array_does_not_change_the_store()
    {
        var store = Open();
        store.Put(B("k"), B("v"));
        store.Get(B("k"))[0] = (byte)'x';
        store.Iterate([]).Single().Value[0] = (byte)'y';
        Assert.Equal(B("v"), store.Get(B("k")));
    }

    [Fact]
    public void Prefix_iteration_is_ordered_and_bounded()
    {
        var store = Open();
        byte[][] inside = [[0x12], [0x12, 0x00], [0x12, 0x01, 0xff], [0x12, 0x80], [0x12, 0xff], [0x12, 0xff, 0xff]];
        byte[][] outside = [[0x11, 0xff], [0x13], [0x13, 0x00], [0x01], [0xff]];
        var rng = new Random(5);
        foreach (var k in inside.Concat(outside).OrderBy(_ => rng.Next())) store.Put(k, [k[^1]]);

        var got = store.Iterate([0x12]).ToList();
        Assert.Equal(inside.Select(Convert.ToHexString), got.Select(kv => Convert.ToHexString(kv.Key)));
        Assert.All(got, kv => Assert.Equal(kv.Key[^1], kv.Value.Single()));

        Assert.Equal(11, store.Iterate([]).Count());
        Assert.Empty(store.Iterate([0x14]));
        var all = store.Iterate([]).Select(kv => kv.Key).ToList();
        Assert.Equal(all.Order(ByteArrayComparer.Instance), all);
    }

    [Fact]
    public void Concurrent_writers_and_readers_see_consistent_values()
    {
        var store = Open();
        const int Threads = 4, PerThread = 500;
        Parallel.For(0, Threads, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                var key = BitConverter.GetBytes(t * PerThread + i);
                store.Put(key, key);
                Assert.Equal(key, store.Get(key));
            }
        });
        Assert.Equal(Threads * PerThread, store.Iterate([]).Count());
    }

    [Fact]
    public void A_disposed_store_refuses_use()
    {
        var store = CreateStore();
        store.Put(B("k"), B("v"));
        store.Dispose();
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.TryGet(B("k")));
        Assert.Throws<ObjectDisposedException>(() => store.Put(B("k"), B("v")));
        Assert.Throws<ObjectDisposedException>(() => store.CreateBatch());
    }
}

public sealed class StorageMemoryTests : StorageContractTests
{
    protected override IKeyValueStore CreateStore() => new MemoryKeyValueStore();
}
