using System.Buffers.Binary;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// The L1 attributes of one L2 block: its L1 origin, its position in the epoch and the system config values, as the
/// first transaction of the block writes them into <see cref="Predeploys.L1Block"/>. Calldata is the Isthmus layout
/// (specs/protocol/isthmus/l1-attributes.md): selector 0x098999be, then packed big-endian baseFeeScalar u32,
/// blobBaseFeeScalar u32, sequenceNumber u64, timestamp u64, number u64, basefee u256, blobBaseFee u256, hash,
/// batcherHash, operatorFeeScalar u32, operatorFeeConstant u64: 176 bytes.
/// </summary>
public sealed record L1BlockInfo
{
    public const int IsthmusLength = 176;
    /// <summary>Gas limit of the L1 attributes deposit from Regolith on.</summary>
    public const ulong DepositGas = 1_000_000;
    public static ReadOnlySpan<byte> IsthmusSelector => [0x09, 0x89, 0x99, 0xbe];

    public required ulong Number { get; init; }
    public required ulong Timestamp { get; init; }
    public required UInt256 BaseFee { get; init; }
    public required UInt256 BlobBaseFee { get; init; }
    public required Hash256 Hash { get; init; }
    public required ulong SequenceNumber { get; init; }
    public required SystemConfigValues SystemConfig { get; init; }

    public static L1BlockInfo From(L1BlockRef origin, ulong sequenceNumber, SystemConfigValues config) => new()
    {
        Number = origin.Number,
        Timestamp = origin.Timestamp,
        BaseFee = origin.BaseFee,
        BlobBaseFee = origin.BlobBaseFee,
        Hash = origin.Hash,
        SequenceNumber = sequenceNumber,
        SystemConfig = config,
    };

    public byte[] EncodeIsthmus()
    {
        var data = new byte[IsthmusLength];
        var d = data.AsSpan();
        IsthmusSelector.CopyTo(d);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], SystemConfig.BaseFeeScalar);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], SystemConfig.BlobBaseFeeScalar);
        BinaryPrimitives.WriteUInt64BigEndian(d[12..], SequenceNumber);
        BinaryPrimitives.WriteUInt64BigEndian(d[20..], Timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(d[28..], Number);
        BaseFee.ToBigEndian().CopyTo(d[36..]);
        BlobBaseFee.ToBigEndian().CopyTo(d[68..]);
        Hash.Bytes.CopyTo(d[100..]);
        SystemConfig.BatcherHash.Bytes.CopyTo(d[132..]);
        BinaryPrimitives.WriteUInt32BigEndian(d[164..], SystemConfig.OperatorFeeScalar);
        BinaryPrimitives.WriteUInt64BigEndian(d[168..], SystemConfig.OperatorFeeConstant);
        return data;
    }

    /// <summary>Reads Isthmus calldata back; <see cref="FormatException"/> naming what is wrong otherwise.</summary>
    public static L1BlockInfo DecodeIsthmus(ReadOnlySpan<byte> data)
    {
        if (data.Length != IsthmusLength) throw new FormatException($"L1 attributes calldata is {data.Length} bytes; the Isthmus layout has {IsthmusLength}");
        if (!data[..4].SequenceEqual(IsthmusSelector)) throw new FormatException($"L1 attributes selector 0x{Hex.Encode(data[..4].ToArray(), false)} is not setL1BlockValuesIsthmus() (0x098999be)");
        return new L1BlockInfo
        {
            SystemConfig = new SystemConfigValues
            {
                BaseFeeScalar = BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
                BlobBaseFeeScalar = BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
                BatcherHash = new Hash256(data.Slice(132, 32).ToArray()),
                OperatorFeeScalar = BinaryPrimitives.ReadUInt32BigEndian(data[164..]),
                OperatorFeeConstant = BinaryPrimitives.ReadUInt64BigEndian(data[168..]),
            },
            SequenceNumber = BinaryPrimitives.ReadUInt64BigEndian(data[12..]),
            Timestamp = BinaryPrimitives.ReadUInt64BigEndian(data[20..]),
            Number = BinaryPrimitives.ReadUInt64BigEndian(data[28..]),
            BaseFee = UInt256.FromBigEndian(data.Slice(36, 32)),
            BlobBaseFee = UInt256.FromBigEndian(data.Slice(68, 32)),
            Hash = new Hash256(data.Slice(100, 32).ToArray()),
        };
    }

    /// <summary>The L1 attributes deposited transaction (specs/protocol/deposits.md): from the depositor to L1Block, no mint or value, 1M gas, not a system tx.</summary>
    public Transaction ToDepositTransaction() => Transaction.CreateDeposit(
        DepositSource.L1InfoDeposit(Hash, SequenceNumber), Predeploys.L1AttributesDepositor, Predeploys.L1Block,
        UInt256.Zero, UInt256.Zero, DepositGas, isSystemTx: false, EncodeIsthmus());

    /// <summary>The L1 attributes of an L2 block, read from its first transaction; null if the block has none (genesis, a non-rollup chain).</summary>
    public static L1BlockInfo? FromBlock(Blocks.Block block)
    {
        if (block.Transactions.Count == 0) return null;
        var first = block.Transactions[0];
        if (!first.IsDeposit || first.DepositFrom != Predeploys.L1AttributesDepositor || first.To != Predeploys.L1Block) return null;
        return DecodeIsthmus(first.Data);
    }
}
