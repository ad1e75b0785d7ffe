using System.Buffers.Binary;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// The L1 attributes of one L2 block: its L1 origin, its position in the epoch and the system config values, as the
/// first transaction of the block writes them into <see cref="Predeploys.L1Block"/>. Calldata is the Isthmus layout
/// (specs/protocol/isthmus/l1-attributes.md): selector 0x098999be, then packed big-endian baseFeeScalar u32,
/// blobBaseFeeScalar u32, sequenceNumber u64, timestamp u64, number u64, basefee u256, blobBaseFee u256, hash,
/// batcherHash, operatorFeeScalar u32, operatorFeeConstant u64: 176 bytes. This chain's blocks carry that layout plus
/// gasTokenPerEth u256 (bytes 176..207: OPEN wei per ETH wei, 1e18 = 1, the rate the L1 data fee is converted at) under
/// <c>setL1BlockValuesOpenLedger()</c> (0xe4c9b82c), following how OP forks extend it (Jovian appends a field under a
/// new selector). Isthmus calldata still decodes, with a rate of zero.
/// </summary>
public sealed record L1BlockInfo
{
    public const int IsthmusLength = 176;
    public const int OpenLedgerLength = 208;
    /// <summary>Gas limit of the L1 attributes deposit from Regolith on.</summary>
    public const ulong DepositGas = 1_000_000;
    public static ReadOnlySpan<byte> IsthmusSelector => [0x09, 0x89, 0x99, 0xbe];
    public static ReadOnlySpan<byte> OpenLedgerSelector => [0xe4, 0xc9, 0xb8, 0x2c];

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

    /// <summary>The calldata of this chain's L1 attributes deposit: the Isthmus fields, then gasTokenPerEth.</summary>
    public byte[] Encode()
    {
        var data = new byte[OpenLedgerLength];
        WriteIsthmusFields(data);
        OpenLedgerSelector.CopyTo(data);
        SystemConfig.GasTokenPerEth.ToBigEndian().CopyTo(data.AsSpan(IsthmusLength));
        return data;
    }

    /// <summary>OP's Isthmus calldata (no gas token rate).</summary>
    public byte[] EncodeIsthmus()
    {
        var data = new byte[IsthmusLength];
        WriteIsthmusFields(data);
        return data;
    }

    private void WriteIsthmusFields(Span<byte> d)
    {
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
    }

    /// <summary>Reads L1 attributes calldata back (this chain's layout or Isthmus'); <see cref="FormatException"/> naming what is wrong otherwise.</summary>
    public static L1BlockInfo Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 4 && data[..4].SequenceEqual(OpenLedgerSelector))
        {
            if (data.Length != OpenLedgerLength) throw new FormatException($"L1 attributes calldata is {data.Length} bytes; setL1BlockValuesOpenLedger() takes {OpenLedgerLength}");
            var info = DecodeFields(data[..IsthmusLength]);
            return info with { SystemConfig = info.SystemConfig with { GasTokenPerEth = UInt256.FromBigEndian(data[IsthmusLength..]) } };
        }
        if (data.Length != IsthmusLength) throw new FormatException($"L1 attributes calldata is {data.Length} bytes; the Isthmus layout has {IsthmusLength}");
        if (!data[..4].SequenceEqual(IsthmusSelector)) throw new FormatException($"L1 attributes selector 0x{Hex.Encode(data[..4].ToArray(), false)} is neither setL1BlockValuesOpenLedger() (0xe4c9b82c) nor setL1BlockValuesIsthmus() (0x098999be)");
        return DecodeFields(data);
    }

    private static L1BlockInfo DecodeFields(ReadOnlySpan<byte> data) =>
        new L1BlockInfo
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

    /// <summary>The L1 attributes deposited transaction (specs/protocol/deposits.md): from the depositor to L1Block, no mint or value, 1M gas, not a system tx.</summary>
    public Transaction ToDepositTransaction() => Transaction.CreateDeposit(
        DepositSource.L1InfoDeposit(Hash, SequenceNumber), Predeploys.L1AttributesDepositor, Predeploys.L1Block,
        UInt256.Zero, UInt256.Zero, DepositGas, isSystemTx: false, Encode());

    /// <summary>The L1 attributes of an L2 block, read from its first transaction; null if the block has none (genesis, a non-rollup chain).</summary>
    public static L1BlockInfo? FromBlock(Blocks.Block block)
    {
        if (block.Transactions.Count == 0) return null;
        var first = block.Transactions[0];
        if (!first.IsDeposit || first.DepositFrom != Predeploys.L1AttributesDepositor || first.To != Predeploys.L1Block) return null;
        return Decode(first.Data);
    }
}
