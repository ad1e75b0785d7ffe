using OpenLedger.Primitives;

namespace OpenLedger.State.World;

internal enum JournalKind : byte
{
    Balance,
    Nonce,
    Storage,
    /// <summary>Existence, nonce and code together (account created, recreated, or code set).</summary>
    AccountReset,
    Touch,
    WarmAddress,
    WarmSlot,
    /// <summary>A slot warmed and then written (SSTORE of a cold slot): undoes both.</summary>
    WarmStorage,
    Transient,
    CreatedInTx,
    Destructed,
}

/// <summary>
/// One undo record. Journals are only appended and truncated, so a struct list with no per-change allocation.
/// Kept small (the account, a key, an old value): the rare account resets carry their old fields in <see cref="Reset"/>.
/// </summary>
internal struct JournalEntry
{
    public WorldAccount Account;
    public AccountResetRecord? Reset;
    public UInt256 Key;
    /// <summary>Old balance, slot or transient value; for <see cref="JournalKind.Nonce"/> the old nonce in u0.</summary>
    public UInt256 Old;
    public JournalKind Kind;
}

/// <summary>What an <see cref="JournalKind.AccountReset"/> restores.</summary>
internal sealed class AccountResetRecord
{
    public bool OldExists;
    public ulong OldNonce;
    public Hash256 OldCodeHash;
    public byte[]? OldCode;
    public bool OldCodeChanged;
}

/// <summary>A point to revert to: the journal length plus the log count and refund counter at that moment.</summary>
public readonly record struct WorldSnapshot(int JournalIndex, int LogCount, long Refund);

/// <summary>A storage slot's identity, for transient storage.</summary>
public readonly record struct StorageSlot(Address Address, UInt256 Key);

/// <summary>
/// The journal's storage: entries in chunks of 512 (45 KB, below the large-object heap; the first one grows to that size), so growing never copies
/// and a long transaction does not churn the large-object heap (each LOH allocation counts towards a full collection).
/// Chunks are kept for the next transaction.
/// </summary>
internal sealed class JournalBuffer
{
    private const int Shift = 9, ChunkSize = 1 << Shift, Mask = ChunkSize - 1;
    private JournalEntry[]?[] _chunks = new JournalEntry[]?[8];

    public int Count { get; private set; }

    public ref JournalEntry this[int index] => ref _chunks[index >> Shift]![index & Mask];

    public void Add(in JournalEntry entry)
    {
        int c = Count >> Shift;
        if (c == _chunks.Length) Array.Resize(ref _chunks, c * 2);
        // The first chunk starts small and grows, so a short call (eth_call, a transfer) allocates little.
        ref var chunk = ref _chunks[c];
        chunk ??= new JournalEntry[c == 0 ? 16 : ChunkSize];
        int i = Count & Mask;
        if (i == chunk.Length) Array.Resize(ref chunk, chunk.Length * 2);
        chunk[i] = entry;
        Count++;
    }

    /// <summary>Drops the entries from <paramref name="count"/> on, releasing what they reference.</summary>
    public void Truncate(int count)
    {
        for (int i = count; i < Count;)
        {
            int start = i & Mask;
            int n = Math.Min(ChunkSize - start, Count - i);
            Array.Clear(_chunks[i >> Shift]!, start, n);
            i += n;
        }
        Count = count;
    }

    public void Clear() => Truncate(0);
}
