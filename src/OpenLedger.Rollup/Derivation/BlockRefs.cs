using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

public sealed record L1BlockRef(Hash256 Hash, ulong Number, Hash256 ParentHash, ulong Time)
{
    public BlockId Id => new(Hash, Number);
    public override string ToString() => $"L1 {Number} {Hash}";
}

/// <summary>One L1 transaction as retrieval needs it: type, sender (as the L1 node recovered it), recipient and calldata.</summary>
public sealed record L1Transaction(byte Type, Address From, Address? To, byte[] Input);

/// <summary>A log of the L1 SystemConfig contract in this block (ConfigUpdate events update the batcher, fees and gas limit).</summary>
public sealed record L1Log(Address Address, IReadOnlyList<Hash256> Topics, byte[] Data);

/// <summary>An L1 block with what derivation reads from it.</summary>
public sealed record L1Block(
    L1BlockRef Ref,
    UInt256 BaseFee,
    UInt256 BlobBaseFee,
    Hash256 MixHash,
    Hash256? ParentBeaconRoot,
    IReadOnlyList<L1Transaction> Transactions,
    IReadOnlyList<L1Log> SystemConfigLogs)
{
    /// <summary>The deposit contract's TransactionDeposited logs in this block (user deposits of its epoch).</summary>
    public IReadOnlyList<Chain.Rollup.L1DepositLog> DepositLogs { get; init; } = [];

    public ulong Number => Ref.Number;
    public Hash256 Hash => Ref.Hash;
    public ulong Time => Ref.Time;
}

/// <summary>An L2 block as derivation sees it: identity, time and its L1 origin (epoch) with its position in the epoch.</summary>
public sealed record L2BlockRef(Hash256 Hash, ulong Number, Hash256 ParentHash, ulong Time, BlockId L1Origin, ulong SequenceNumber)
{
    public BlockId Id => new(Hash, Number);
    public override string ToString() => $"L2 {Number} {Hash} (origin {L1Origin.Number})";
}
