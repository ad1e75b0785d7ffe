using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.State.Accounts;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;
using OpenLedger.Tests.Shared;

namespace OpenLedger.State.Tests;

public class AccountsTests
{
    private static readonly Address Alice = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address Bob = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");

    [Fact]
    public void Empty_account_has_empty_roots()
    {
        Assert.Equal(PatriciaTrie.EmptyRoot, Account.Empty.StorageRoot);
        Assert.Equal(Hash256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), Account.Empty.CodeHash);
        Assert.True(Account.Empty.IsEmpty);
        Assert.False(Account.Empty.HasCode);
    }

    [Fact]
    public void Account_round_trips_a_known_encoding()
    {
        // From ethereum-tests hex_encoded_securetrie_test: nonce 1, balance 0x05f446a7, empty storage and code.
        var rlp = Convert.FromHexString("f848018405f446a7a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        var account = Account.Decode(rlp);
        Assert.Equal(1UL, account.Nonce);
        Assert.Equal(new UInt256(0x05f446a7), account.Balance);
        Assert.Equal(PatriciaTrie.EmptyRoot, account.StorageRoot);
        Assert.Equal(Keccak256.EmptyHash, account.CodeHash);
        Assert.Equal(rlp, account.Encode());
        Assert.Equal(rlp.Length, account.EncodedLength);
    }

    [Fact]
    public void Account_encoding_handles_extreme_values()
    {
        var a = new Account(ulong.MaxValue, UInt256.MaxValue, Keccak256.Compute([1]), Keccak256.Compute([2]));
        Assert.Equal(a, Account.Decode(a.Encode()));
        Assert.Equal(Account.Empty, Account.Decode(Account.Empty.Encode()));
    }

    [Theory]
    [InlineData("e38080a0" + "0000000000000000000000000000000000000000000000000000000000000000", "ends before its codeHash")]
    [InlineData("c3808080", "account storageRoot")]          // an empty string where a 32-byte hash belongs
    [InlineData("c58200018080", "account nonce")]            // nonce with a leading zero
    [InlineData("c68082000180" + "80", "account balance")]   // balance with a leading zero
    [InlineData("f84a8080", "runs past the end")]            // list header longer than the input
    public void Malformed_account_records_name_the_problem(string hex, string reason)
    {
        var e = Assert.ThrowsAny<RlpException>(() => Account.Decode(Convert.FromHexString(hex)));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_fifth_field_or_trailing_bytes_are_rejected()
    {
        var good = Account.Empty.Encode();
        Assert.Throws<RlpException>(() => Account.Decode([.. good, 0x00]));
        var payload = good.AsSpan(2).ToArray();
        var five = Primitives.Rlp.Rlp.EncodeList(payload, [0x01]);
        var e = Assert.Throws<RlpException>(() => Account.Decode(five));
        Assert.Contains("more than 4 fields", e.Message);
    }

    [Fact]
    public void Storage_root_of_a_single_slot_matches_a_hand_built_trie()
    {
        // Slot 0 = 1: key keccak(32 zero bytes), value rlp(0x01) = 0x01.
        var trie = new PatriciaTrie();
        trie.Set(Keccak256.Compute(new byte[32]).Bytes, [0x01]);
        var storage = new Dictionary<UInt256, UInt256> { [UInt256.Zero] = UInt256.One, [new UInt256(5)] = UInt256.Zero };
        Assert.Equal(trie.RootHash, StateTrie.ComputeStorageRoot(storage));
        Assert.Equal(PatriciaTrie.EmptyRoot, StateTrie.ComputeStorageRoot(new Dictionary<UInt256, UInt256> { [UInt256.One] = UInt256.Zero }));
    }

    // Every GeneralStateTests file with Cancun cases whose transaction is rejected (expectException).
    public static TheoryData<string> RejectedTransactionFiles() =>
    [
        "Cancun/stEIP4844-blobtransactions/blobhashListBounds7.json",
        "Cancun/stEIP4844-blobtransactions/createBlobhashTx.json",
        "Cancun/stEIP4844-blobtransactions/emptyBlobhashList.json",
        "Cancun/stEIP4844-blobtransactions/wrongBlobhashVersion.json",
        "Pyspecs/cancun/eip4844_blobs/insufficient_balance_blob_tx.json",
        "Pyspecs/cancun/eip4844_blobs/invalid_blob_hash_versioning_single_tx.json",
        "Pyspecs/cancun/eip4844_blobs/invalid_normal_gas.json",
        "Pyspecs/cancun/eip4844_blobs/invalid_tx_blob_count.json",
        "Pyspecs/cancun/eip4844_blobs/invalid_tx_max_fee_per_blob_gas_state.json",
        "Shanghai/stEIP3860-limitmeterinitcode/creationTxInitCodeSizeLimit.json",
        "stCreateTest/CreateTransactionHighNonce.json",
        "stEIP1559/intrinsic.json",
        "stEIP1559/lowFeeCap.json",
        "stEIP1559/lowGasLimit.json",
        "stEIP1559/lowGasPriceOldTypes.json",
        "stEIP1559/outOfFunds.json",
        "stEIP1559/outOfFundsOldTypes.json",
        "stEIP1559/tipTooHigh.json",
        "stEIP1559/transactionIntinsicBug_Paris.json",
        "stEIP1559/valCausesOOF.json",
        "stEIP3607/transactionCollidingWithNonEmptyAccount_calls.json",
        "stEIP3607/transactionCollidingWithNonEmptyAccount_callsItself.json",
        "stEIP3607/transactionCollidingWithNonEmptyAccount_init_Paris.json",
        "stEIP3607/transactionCollidingWithNonEmptyAccount_send_Paris.json",
        "stExample/invalidTr.json",
        "stTransactionTest/HighGasPriceParis.json",
        "stTransactionTest/NoSrcAccount.json",
        "stTransactionTest/NoSrcAccount1559.json",
        "stTransactionTest/NoSrcAccountCreate.json",
        "stTransactionTest/NoSrcAccountCreate1559.json",
        "stTransactionTest/ValueOverflowParis.json",
    ];

    /// <summary>
    /// A state test transaction that is rejected leaves the pre-state untouched, so the post hash of
    /// every Cancun case expecting an exception is the root of the pre-state.
    /// </summary>
    [Theory]
    [MemberData(nameof(RejectedTransactionFiles))]
    public void Pre_state_roots_match_rejected_state_test_transactions(string file)
    {
        var path = Path.Combine(TestPaths.EthereumTests, "GeneralStateTests", file);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        int checkedCases = 0;
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            var pre = ParseAlloc(test.Value.GetProperty("pre"));
            var root = StateTrie.ComputeRoot(pre);
            foreach (var post in test.Value.GetProperty("post").GetProperty("Cancun").EnumerateArray())
            {
                if (!post.TryGetProperty("expectException", out _)) continue;
                Assert.Equal(Hash256.Parse(post.GetProperty("hash").GetString()!), root);
                checkedCases++;
            }
            // The same state built incrementally, committed and reopened, has the same root.
            Assert.Equal(root, BuildIncrementally(pre));
        }
        Assert.True(checkedCases > 0, $"{file} has no rejected Cancun case");
    }

    private static Hash256 BuildIncrementally(Dictionary<Address, AccountData> alloc)
    {
        using var store = new MemoryKeyValueStore();
        var state = new StateTrie(store);
        foreach (var (address, data) in alloc)
        {
            state.SetAccount(address, data.Nonce, data.Balance, data.CodeHash);
            foreach (var (slot, value) in data.Storage ?? new Dictionary<UInt256, UInt256>()) state.SetStorage(address, slot, value);
        }
        var root = state.Commit();
        return new StateTrie(store, root).RootHash;
    }

    private static Dictionary<Address, AccountData> ParseAlloc(JsonElement pre)
    {
        var alloc = new Dictionary<Address, AccountData>();
        foreach (var acc in pre.EnumerateObject())
        {
            var storage = new Dictionary<UInt256, UInt256>();
            foreach (var s in acc.Value.GetProperty("storage").EnumerateObject())
                storage[UInt256.Parse(s.Name)] = UInt256.Parse(s.Value.GetString()!);
            var code = Convert.FromHexString(acc.Value.GetProperty("code").GetString()!.AsSpan(2));
            alloc[Address.Parse(acc.Name)] = AccountData.WithCode(
                (ulong)UInt256.Parse(acc.Value.GetProperty("nonce").GetString()!).u0,
                UInt256.Parse(acc.Value.GetProperty("balance").GetString()!), code, storage);
        }
        return alloc;
    }

    [Fact]
    public void Incremental_updates_match_a_full_recomputation()
    {
        var state = new StateTrie();
        var model = new Dictionary<Address, (ulong Nonce, UInt256 Balance, Dictionary<UInt256, UInt256> Storage)>();
        var rng = new Random(3);
        var addresses = Enumerable.Range(0, 12).Select(i => Address.FromWord(Keccak256.Compute([(byte)i]).Bytes)).ToArray();
        for (int step = 0; step < 400; step++)
        {
            var a = addresses[rng.Next(addresses.Length)];
            switch (rng.Next(10))
            {
                case 0:
                    Assert.Equal(model.Remove(a), state.DeleteAccount(a));
                    break;
                case < 4:
                    var nonce = (ulong)rng.Next(5);
                    var balance = new UInt256((ulong)rng.Next(1000));
                    var storage = model.TryGetValue(a, out var old) ? old.Storage : [];
                    model[a] = (nonce, balance, storage);
                    state.SetAccount(a, nonce, balance, Keccak256.EmptyHash);
                    break;
                default:
                    if (!model.TryGetValue(a, out var m))
                    {
                        Assert.Throws<InvalidOperationException>(() => state.SetStorage(a, UInt256.One, UInt256.One));
                        break;
                    }
                    var slot = new UInt256((ulong)rng.Next(8));
                    var value = rng.Next(3) == 0 ? UInt256.Zero : new UInt256((ulong)rng.Next(1, 300));
                    m.Storage[slot] = value;
                    state.SetStorage(a, slot, value);
                    Assert.Equal(value, state.GetStorage(a, slot));
                    break;
            }
            if (step % 25 == 0) Assert.Equal(Expected(model), state.RootHash);
        }
        Assert.Equal(Expected(model), state.RootHash);
        foreach (var (a, m) in model)
        {
            var acc = state.GetAccount(a)!.Value;
            Assert.Equal(m.Nonce, acc.Nonce);
            Assert.Equal(StateTrie.ComputeStorageRoot(m.Storage), acc.StorageRoot);
        }

        static Hash256 Expected(Dictionary<Address, (ulong Nonce, UInt256 Balance, Dictionary<UInt256, UInt256> Storage)> model) =>
            StateTrie.ComputeRoot(model.Select(kv => KeyValuePair.Create(kv.Key,
                new AccountData(kv.Value.Nonce, kv.Value.Balance, Keccak256.EmptyHash, kv.Value.Storage))));
    }

    [Fact]
    public void A_persistent_state_commits_reopens_and_continues()
    {
        using var store = new MemoryKeyValueStore();
        var state = new StateTrie(store);
        var code = new byte[] { 0x60, 0x01, 0x60, 0x00, 0x55 };
        var codeHash = state.PutCode(code);
        state.SetAccount(Alice, 1, new UInt256(1000), Keccak256.EmptyHash);
        state.SetAccount(Bob, 0, UInt256.Zero, codeHash);
        state.SetStorage(Bob, UInt256.Zero, new UInt256(0xbeef));
        state.SetStorage(Bob, UInt256.MaxValue, UInt256.MaxValue);
        var root1 = state.Commit();

        var reopened = new StateTrie(store, root1);
        Assert.Equal(root1, reopened.RootHash);
        Assert.Equal(new UInt256(0xbeef), reopened.GetStorage(Bob, UInt256.Zero));
        Assert.Equal(UInt256.MaxValue, reopened.GetStorage(Bob, UInt256.MaxValue));
        Assert.Equal(UInt256.Zero, reopened.GetStorage(Alice, UInt256.Zero));
        Assert.Equal(code, reopened.GetCode(reopened.GetAccount(Bob)!.Value.CodeHash));

        reopened.SetStorage(Bob, UInt256.Zero, UInt256.Zero);
        reopened.SetAccount(Alice, 2, new UInt256(900), Keccak256.EmptyHash);
        var root2 = reopened.Commit();
        Assert.NotEqual(root1, root2);

        var expected = StateTrie.ComputeRoot(new Dictionary<Address, AccountData>
        {
            [Alice] = new(2, new UInt256(900), Keccak256.EmptyHash),
            [Bob] = new(0, UInt256.Zero, codeHash, new Dictionary<UInt256, UInt256> { [UInt256.MaxValue] = UInt256.MaxValue }),
        });
        Assert.Equal(expected, root2);
        // The older state is still readable: nothing is pruned.
        Assert.Equal(new UInt256(0xbeef), new StateTrie(store, root1).GetStorage(Bob, UInt256.Zero));
        Assert.Null(new StateTrie(store, root2).GetAccount(Address.Zero));
    }

    [Fact]
    public void Code_stays_readable_in_memory_and_is_written_once_to_a_batch()
    {
        var state = new StateTrie();
        byte[] code = [0x60, 0x00, 0x60, 0x00, 0xf3];
        var hash = state.PutCode(code);
        Assert.Equal(Keccak256.Compute(code), hash);
        Assert.Equal(Keccak256.EmptyHash, state.PutCode([]));
        Assert.Equal(Array.Empty<byte>(), state.GetCode(Keccak256.EmptyHash));
        Assert.Null(state.GetCode(Keccak256.Compute([1])));

        using var store = new MemoryKeyValueStore();
        using (var batch = store.CreateBatch())
        {
            state.Commit(batch);
            Assert.Equal(1, batch.Count); // the code; an empty state has no nodes
            batch.Commit();
        }
        Assert.Equal(code, state.GetCode(hash));
        using (var again = store.CreateBatch())
        {
            state.Commit(again);
            Assert.Equal(0, again.Count);
        }
        Assert.Equal(code, new StateTrie(store).GetCode(hash));
    }

    [Fact]
    public void An_in_memory_state_committed_into_a_store_reopens_there()
    {
        var genesis = new StateTrie();
        genesis.SetAccount(Alice, 0, new UInt256(5), Keccak256.EmptyHash);
        genesis.SetStorage(Alice, new UInt256(3), new UInt256(9));
        using var store = new MemoryKeyValueStore();
        Hash256 root;
        using (var batch = store.CreateBatch())
        {
            root = genesis.Commit(batch);
            batch.Commit();
        }
        Assert.Equal(genesis.RootHash, root);
        var reopened = new StateTrie(store, root);
        Assert.Equal(new UInt256(9), reopened.GetStorage(Alice, new UInt256(3)));
        Assert.Equal(new UInt256(5), reopened.GetAccount(Alice)!.Value.Balance);
    }

    [Fact]
    public void Setting_an_account_record_replaces_its_storage()
    {
        using var store = new MemoryKeyValueStore();
        var state = new StateTrie(store);
        state.SetAccount(Alice, 0, UInt256.One, Keccak256.EmptyHash);
        state.SetStorage(Alice, UInt256.One, new UInt256(7));
        state.Commit();
        var withStorage = state.GetAccount(Alice)!.Value;

        state.SetAccount(Alice, withStorage with { StorageRoot = PatriciaTrie.EmptyRoot });
        Assert.Equal(UInt256.Zero, state.GetStorage(Alice, UInt256.One));
        state.SetAccount(Alice, withStorage);
        Assert.Equal(new UInt256(7), state.GetStorage(Alice, UInt256.One));
        Assert.True(state.DeleteAccount(Alice));
        Assert.Equal(PatriciaTrie.EmptyRoot, state.RootHash);
    }
}
