using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Sequencing;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Tests;

/// <summary>Issue 21: what the pool refuses, how production behaves on a failing store, and the pool's journal.</summary>
public sealed class HostileInputTests : IDisposable
{
    private const ulong ChainId = 1337;
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-hostile-" + Guid.NewGuid().ToString("N"));

    public HostileInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static GenesisSpec Genesis() => new()
    {
        Config = new ChainConfig { ChainId = ChainId },
        GasLimit = 30_000_000,
        Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(UInt256.Parse("1000000000000000000000"), 0, [], new Dictionary<UInt256, UInt256>()) },
    };

    private static Transaction Transfer(ulong nonce, TxType type = TxType.DynamicFee, ulong? chainId = ChainId)
    {
        var tx = new Transaction
        {
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasPrice = new UInt256(10_000_000_000),
            MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = UInt256.One,
            MaxFeePerBlobGas = new UInt256(10_000_000_000),
            GasLimit = 21_000,
            To = Address.Parse("0x00000000000000000000000000000000000000b0"),
            Value = UInt256.One,
        };
        if (type == TxType.Blob) tx.BlobVersionedHashes = [new Hash256(Convert.FromHexString("01" + new string('0', 62)))];
        tx.Sign(Key);
        return tx;
    }

    [Fact]
    public void Pool_RefusesBlobTxWithoutSidecar_AndUnprotectedLegacy_UnlessAllowed()
    {
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Address.Zero);
        var blob = Assert.Throws<TxPoolException>(() => chain.Pool.AddRaw(Transfer(0, TxType.Blob).Encode()));
        Assert.Equal("missing sidecar in blob transaction", blob.Message);
        var unprotected = Assert.Throws<TxPoolException>(() => chain.Pool.AddRaw(Transfer(0, TxType.Legacy, chainId: null).Encode()));
        Assert.Equal("only replay-protected (EIP-155) transactions allowed over RPC", unprotected.Message);
        Assert.Equal(0, chain.Pool.Count);
        chain.Pool.AddRaw(Transfer(0, TxType.Legacy).Encode()); // EIP-155 legacy is fine

        using var permissive = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Address.Zero, new TxPoolOptions { AllowUnprotected = true });
        permissive.Pool.AddRaw(Transfer(0, TxType.Legacy, chainId: null).Encode());
        Assert.Equal(1, permissive.Pool.Count);
    }

    /// <summary>A store whose commits fail while <see cref="Full"/> is set, as on a full disk.</summary>
    private sealed class FullDiskStore(IKeyValueStore inner) : IKeyValueStore
    {
        public volatile bool Full;
        public int FailedCommits;
        public byte[]? TryGet(ReadOnlySpan<byte> key) => inner.TryGet(key);
        public byte[] Get(ReadOnlySpan<byte> key) => inner.Get(key);
        public bool Contains(ReadOnlySpan<byte> key) => inner.Contains(key);
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Put(key, value);
        public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);
        public IWriteBatch CreateBatch() => new Batch(this, inner.CreateBatch());
        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(ReadOnlySpan<byte> prefix) => inner.Iterate(prefix);
        public void Dispose() => inner.Dispose();

        private sealed class Batch(FullDiskStore store, IWriteBatch inner) : IWriteBatch
        {
            public int Count => inner.Count;
            public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Put(key, value);
            public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);
            public void Commit()
            {
                if (store.Full)
                {
                    Interlocked.Increment(ref store.FailedCommits);
                    throw new IOException("No space left on device");
                }
                inner.Commit();
            }
            public void Dispose() => inner.Dispose();
        }
    }

    [Fact]
    public async Task FailingStore_BacksOff_ReportsUnhealthy_AndRecovers()
    {
        var store = new FullDiskStore(new MemoryKeyValueStore());
        using var chain = Blockchain.Open(store, Genesis(), Address.Zero);
        store.Full = true;
        await using var sequencer = new Sequencer(chain, new SequencerOptions { BlockTime = TimeSpan.FromMilliseconds(20) });
        sequencer.Start();
        for (int i = 0; i < 200 && sequencer.ConsecutiveFailures < 4; i++) await Task.Delay(50);
        Assert.True(sequencer.ConsecutiveFailures >= 4);
        // Each retry waits twice as long as the one before (200 ms, 400, 800, ...), instead of retrying every interval.
        Assert.True(sequencer.RetryDelay >= TimeSpan.FromMilliseconds(1600), $"retry delay {sequencer.RetryDelay}");
        Assert.True(store.FailedCommits <= sequencer.ConsecutiveFailures + 1);
        Assert.Contains("No space left on device", sequencer.Health());

        store.Full = false;
        ulong head = chain.Head.Number;
        for (int i = 0; i < 200 && chain.Head.Number == head; i++) await Task.Delay(50);
        Assert.True(chain.Head.Number > head);
        for (int i = 0; i < 40 && sequencer.Health() != null; i++) await Task.Delay(50);
        Assert.Null(sequencer.Health());
    }

    [Fact]
    public void PoolJournal_ReloadsUnminedTransactions_AndIgnoresATornTail()
    {
        var path = Path.Combine(_dir, "txpool.journal");
        using (var chain = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Address.Zero))
        using (var journal = new TxPoolJournal(path, chain.Pool))
        {
            journal.Load();
            for (ulong n = 0; n < 3; n++) chain.Pool.AddRaw(Transfer(n).Encode());
        } // no rotation on the way out: as after kill -9
        // A crash in the middle of the next append leaves half a record.
        using (var f = new FileStream(path, FileMode.Append)) f.Write([0, 0, 1, 0, 0xaa, 0xbb]);

        using var restarted = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Address.Zero);
        using var reloaded = new TxPoolJournal(path, restarted.Pool);
        var (loaded, skipped) = reloaded.Load();
        Assert.Equal((3, 0), (loaded, skipped));
        Assert.Equal(3, restarted.Pool.Count);
        Assert.NotNull(restarted.Pool.Get(Keccak256.Compute(Transfer(2).Encode())));

        // Mined ones drop out at the next load.
        restarted.ProduceBlock((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        reloaded.Rotate();
        using var third = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Address.Zero);
        using var again = new TxPoolJournal(path, third.Pool);
        Assert.Equal((0, 0), again.Load());
    }
}
