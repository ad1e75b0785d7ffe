using OpenLedger.Primitives;
using OpenLedger.State.Accounts;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;

namespace OpenLedger.State.Tests;

public sealed class StorageRocksDbTests : StorageContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openledger-rocks-" + Guid.NewGuid().ToString("N"));

    protected override IKeyValueStore CreateStore() => new RocksDbKeyValueStore(Path.Combine(_dir, Guid.NewGuid().ToString("N")));

    public override void Dispose()
    {
        base.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Data_survives_closing_and_reopening_the_directory()
    {
        var path = Path.Combine(_dir, "persist");
        using (var store = new RocksDbKeyValueStore(path))
        {
            store.Put(B("single"), B("1"));
            using var batch = store.CreateBatch();
            for (int i = 0; i < 1000; i++) batch.Put(BitConverter.GetBytes(i), BitConverter.GetBytes(i * 3));
            batch.Delete(B("single"));
            batch.Commit();
        }
        using (var reopened = new RocksDbKeyValueStore(path))
        {
            Assert.Null(reopened.TryGet(B("single")));
            for (int i = 0; i < 1000; i++) Assert.Equal(BitConverter.GetBytes(i * 3), reopened.Get(BitConverter.GetBytes(i)));
        }
    }

    [Fact]
    public void An_uncommitted_batch_is_not_there_after_reopening()
    {
        var path = Path.Combine(_dir, "uncommitted");
        using (var store = new RocksDbKeyValueStore(path))
        {
            var batch = store.CreateBatch();
            batch.Put(B("a"), B("1"));
            batch.Dispose();
        }
        using var reopened = new RocksDbKeyValueStore(path);
        Assert.Empty(reopened.Iterate([]));
    }

    [Fact]
    public void Opening_a_directory_that_is_already_open_fails_with_a_clear_error()
    {
        var path = Path.Combine(_dir, "locked");
        using var first = new RocksDbKeyValueStore(path);
        var e = Assert.Throws<StoreLockedException>(() => new RocksDbKeyValueStore(path));
        Assert.Equal(Path.GetFullPath(path), e.Directory);
        Assert.Contains("locked", e.Message);
        first.Put(B("still"), B("works"));
        Assert.Equal(B("works"), first.Get(B("still")));
    }

    [Fact]
    public void A_state_committed_to_rocksdb_reopens_after_the_process_lets_go()
    {
        var path = Path.Combine(_dir, "state");
        var who = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba");
        Hash256 root;
        Hash256 expected;
        using (var store = new RocksDbKeyValueStore(path))
        {
            var state = new StateTrie(store);
            var memory = new StateTrie();
            for (ulong i = 0; i < 300; i++)
            {
                var a = Address.FromWord(Keccak256.Compute(BitConverter.GetBytes(i)).Bytes);
                state.SetAccount(a, i, new UInt256(i * 7), Keccak256.EmptyHash);
                memory.SetAccount(a, i, new UInt256(i * 7), Keccak256.EmptyHash);
            }
            state.SetAccount(who, 1, UInt256.One, Keccak256.EmptyHash);
            memory.SetAccount(who, 1, UInt256.One, Keccak256.EmptyHash);
            for (ulong s = 0; s < 50; s++)
            {
                state.SetStorage(who, new UInt256(s), new UInt256(s + 1));
                memory.SetStorage(who, new UInt256(s), new UInt256(s + 1));
            }
            root = state.Commit();
            expected = memory.RootHash;
        }
        Assert.Equal(expected, root);
        using (var reopened = new RocksDbKeyValueStore(path))
        {
            var state = new StateTrie(reopened, root);
            Assert.Equal(root, state.RootHash);
            Assert.Equal(new UInt256(50), state.GetStorage(who, new UInt256(49)));
            var proof = state.GetAccountProof(who, new UInt256(3));
            proof.Verify(root);
            Assert.Equal(new UInt256(4), proof.StorageProofs[0].Value);
            var trie = new PatriciaTrie(reopened, root);
            Assert.Equal(301, trie.Enumerate().Count());
        }
    }

    [Fact]
    public void Disposing_the_store_closes_iterators_still_open()
    {
        var store = new RocksDbKeyValueStore(Path.Combine(_dir, "iterating"));
        for (byte i = 0; i < 10; i++) store.Put([i], [i]);
        using var e = store.Iterate([]).GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(new byte[] { 0 }, e.Current.Key);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => e.MoveNext());
    }

    [Fact]
    public void A_directory_that_is_not_a_database_fails_with_a_storage_error()
    {
        var path = Path.Combine(_dir, "bogus");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "CURRENT"), "MANIFEST-999999\n");
        var e = Assert.Throws<StorageException>(() => new RocksDbKeyValueStore(path));
        Assert.Contains(Path.GetFullPath(path), e.Message);
    }
}
