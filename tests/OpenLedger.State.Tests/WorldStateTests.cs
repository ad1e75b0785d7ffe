using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.State.Tests;

public class WorldStateTests
{
    private static readonly Address A = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address B = Address.Parse("0x00000000000000000000000000000000000000bb");
    private static readonly UInt256 K = new(1);

    private static (MemoryWorldSource Source, WorldState World) Setup()
    {
        var source = new MemoryWorldSource();
        source.SetAccount(A, 1, new UInt256(100), [0x00], [new(K, new UInt256(5))]);
        return (source, new WorldState(source));
    }

    [Fact]
    public void Revert_undoes_balance_storage_nonce_warmth_logs_and_refund()
    {
        var (_, w) = Setup();
        w.BeginTransaction();
        var snap = w.TakeSnapshot();
        w.AddBalance(A, new UInt256(1));
        w.SetStorage(A, K, new UInt256(9));
        w.SetNonce(A, 7);
        Assert.True(w.WarmAddress(B));
        w.AddLog(new LogEntry(A, [], []));
        w.AddRefund(4800);
        w.Revert(snap);
        Assert.Equal(new UInt256(100), w.GetBalance(A));
        Assert.Equal(new UInt256(5), w.GetStorage(A, K));
        Assert.Equal(1UL, w.GetNonce(A));
        Assert.False(w.IsWarm(B));
        Assert.Empty(w.Logs);
        Assert.Equal(0, w.Refund);
    }

    [Fact]
    public void Reverting_a_cold_sstore_restores_the_value_and_the_cold_status()
    {
        var (_, w) = Setup();
        w.BeginTransaction();
        var snap = w.TakeSnapshot();
        Assert.True(w.WarmSlot(A, K));
        w.SetStorage(A, K, new UInt256(9));
        w.Revert(snap);
        Assert.Equal(new UInt256(5), w.GetStorage(A, K));
        Assert.True(w.WarmSlot(A, K)); // cold again: the warming was inside the reverted frame
    }

    [Fact]
    public void A_snapshot_between_warming_and_writing_reverts_only_the_write()
    {
        var (_, w) = Setup();
        w.BeginTransaction();
        Assert.True(w.WarmSlot(A, K));
        var snap = w.TakeSnapshot();
        w.SetStorage(A, K, new UInt256(9));
        w.Revert(snap);
        Assert.Equal(new UInt256(5), w.GetStorage(A, K));
        Assert.False(w.WarmSlot(A, K)); // still warm
        Assert.Equal(new UInt256(5), w.GetOriginalStorage(A, K));
    }

    [Fact]
    public void Nested_snapshots_revert_only_the_inner_part()
    {
        var (_, w) = Setup();
        w.BeginTransaction();
        w.SetStorage(A, K, new UInt256(6));
        var inner = w.TakeSnapshot();
        w.SetStorage(A, K, new UInt256(7));
        w.Revert(inner);
        Assert.Equal(new UInt256(6), w.GetStorage(A, K));
    }

    [Fact]
    public void Original_value_is_the_value_at_transaction_start()
    {
        var (_, w) = Setup();
        w.BeginTransaction();
        w.SetStorage(A, K, new UInt256(6));
        w.SetStorage(A, K, new UInt256(7));
        Assert.Equal(new UInt256(5), w.GetOriginalStorage(A, K));
        w.EndTransaction();
        w.BeginTransaction();
        Assert.Equal(new UInt256(7), w.GetOriginalStorage(A, K));
    }

    [Fact]
    public void Transient_storage_is_cleared_between_transactions()
    {
        var (_, w) = Setup();
        w.BeginTransaction();
        w.SetTransient(A, K, new UInt256(3));
        Assert.Equal(new UInt256(3), w.GetTransient(A, K));
        w.EndTransaction();
        w.BeginTransaction();
        Assert.Equal(UInt256.Zero, w.GetTransient(A, K));
    }

    [Fact]
    public void Touched_empty_accounts_are_deleted_and_untouched_ones_stay()
    {
        var source = new MemoryWorldSource();
        source.SetAccount(A, 0, UInt256.Zero, []);
        source.SetAccount(B, 0, UInt256.Zero, []);
        var w = new WorldState(source);
        w.BeginTransaction();
        w.AddBalance(A, UInt256.Zero);
        w.EndTransaction();
        Assert.False(w.Exists(A));
        Assert.True(w.Exists(B));
        var changes = w.Commit();
        Assert.Single(changes.Accounts);
        Assert.True(changes.Accounts[0].Deleted);
    }

    [Fact]
    public void Destructed_account_is_deleted_with_its_storage_at_transaction_end()
    {
        var (source, w) = Setup();
        w.BeginTransaction();
        w.CreateAccount(B);
        w.SetNonce(B, 1);
        w.SetStorage(B, K, new UInt256(1));
        Assert.True(w.IsCreatedInTransaction(B));
        w.MarkDestructed(B);
        w.EndTransaction();
        Assert.False(w.Exists(B));
        Assert.Equal(UInt256.Zero, w.GetStorage(B, K));
        source.Apply(w.Commit());
        Assert.False(source.Accounts.ContainsKey(B));
    }

    [Fact]
    public void Commit_applies_to_the_source_and_changes_the_root()
    {
        var (source, w) = Setup();
        var before = StateRoot.Compute(source);
        w.BeginTransaction();
        w.SetStorage(A, K, UInt256.Zero);
        w.AddBalance(B, new UInt256(3));
        w.EndTransaction();
        source.Apply(w.Commit());
        Assert.Empty(source.Accounts[A].Storage);
        Assert.Equal(new UInt256(3), source.Accounts[B].Balance);
        Assert.NotEqual(before, StateRoot.Compute(source));
        Assert.Empty(w.Commit().Accounts);
    }

    [Fact]
    public void Empty_state_has_the_empty_trie_root() =>
        Assert.Equal(Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"), StateRoot.Compute(new MemoryWorldSource()));

    [Fact]
    public void Collision_when_nonce_code_or_storage_exist()
    {
        var (_, w) = Setup();
        Assert.True(w.HasCollision(A));
        Assert.False(w.HasCollision(B));
    }
}
