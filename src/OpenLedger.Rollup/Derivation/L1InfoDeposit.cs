using System.Buffers.Binary;
using OpenLedger.Primitives.Rlp;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>The Ecotone L1 attributes values an L2 block carries in its first transaction.</summary>
public sealed record L1Info(
    uint BaseFeeScalar, uint BlobBaseFeeScalar, ulong SequenceNumber, ulong Time, ulong Number,
    UInt256 BaseFee, UInt256 BlobBaseFee, Hash256 BlockHash, Hash256 BatcherHash);

/// <summary>
/// The L1 attributes deposited transaction (specs: deposits.md, ecotone/l1-attributes.md): from
/// 0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001 to the L1Block predeploy, mint 0, value 0, gas 1,000,000, not a
/// system tx, calldata setL1BlockValuesEcotone packed into exactly 164 bytes. Encoded as
/// 0x7E ++ rlp([sourceHash, from, to, mint, value, gas, isSystemTx, data]) with
/// sourceHash = keccak256(bytes32(1) ++ keccak256(l1BlockHash ++ bytes32(seqNumber))).
/// </summary>
public static class L1InfoDeposit
{
    public const byte DepositTxType = 0x7E;
    public const int EcotoneCalldataLength = 164;
    /// <summary>bytes4(keccak256("setL1BlockValuesEcotone()")).</summary>
    public static readonly byte[] EcotoneSelector = [0x44, 0x0a, 0x5e, 0x20];

    public static L1Info FromL1Block(L1Block block, SystemConfig sys, ulong sequenceNumber) =>
        new(sys.BaseFeeScalar, sys.BlobBaseFeeScalar, sequenceNumber, block.Time, block.Number, block.BaseFee, block.BlobBaseFee, block.Hash, sys.BatcherHash);

    public static byte[] EncodeCalldata(L1Info i)
    {
        var d = new byte[EcotoneCalldataLength];
        EcotoneSelector.CopyTo(d, 0);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), i.BaseFeeScalar);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), i.BlobBaseFeeScalar);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(12), i.SequenceNumber);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(20), i.Time);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(28), i.Number);
        i.BaseFee.ToBigEndian().CopyTo(d, 36);
        i.BlobBaseFee.ToBigEndian().CopyTo(d, 68);
        i.BlockHash.Bytes.CopyTo(d.AsSpan(100));
        i.BatcherHash.Bytes.CopyTo(d.AsSpan(132));
        return d;
    }

    public static L1Info DecodeCalldata(ReadOnlySpan<byte> d)
    {
        if (d.Length != EcotoneCalldataLength) throw new FormatException($"L1 info calldata must be {EcotoneCalldataLength} bytes, found {d.Length}");
        if (!d[..4].SequenceEqual(EcotoneSelector)) throw new FormatException("L1 info calldata does not start with setL1BlockValuesEcotone's selector");
        return new L1Info(
            BinaryPrimitives.ReadUInt32BigEndian(d[4..]), BinaryPrimitives.ReadUInt32BigEndian(d[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(d[12..]), BinaryPrimitives.ReadUInt64BigEndian(d[20..]), BinaryPrimitives.ReadUInt64BigEndian(d[28..]),
            UInt256.FromBigEndian(d.Slice(36, 32)), UInt256.FromBigEndian(d.Slice(68, 32)), new Hash256(d.Slice(100, 32)), new Hash256(d.Slice(132, 32)));
    }

    public static Hash256 SourceHash(Hash256 l1BlockHash, ulong sequenceNumber)
    {
        Span<byte> inner = stackalloc byte[64];
        l1BlockHash.Bytes.CopyTo(inner);
        BinaryPrimitives.WriteUInt64BigEndian(inner[56..], sequenceNumber);
        Span<byte> outer = stackalloc byte[64];
        outer[31] = 1; // L1 info deposit domain
        Keccak256.Compute(inner).Bytes.CopyTo(outer[32..]);
        return Keccak256.Compute(outer);
    }

    /// <summary>The whole deposit transaction (EIP-2718 bytes).</summary>
    public static byte[] EncodeTransaction(L1Info info)
    {
        var body = Rlp.Encode(RlpItem.List(
            RlpItem.FromBytes(SourceHash(info.BlockHash, info.SequenceNumber).Bytes),
            RlpItem.FromBytes(ProtocolConstants.L1InfoDepositor.Bytes),
            RlpItem.FromBytes(ProtocolConstants.L1BlockPredeploy.Bytes),
            RlpItem.FromUInt256(UInt256.Zero),
            RlpItem.FromUInt256(UInt256.Zero),
            RlpItem.FromUInt256(new UInt256(ProtocolConstants.L1InfoDepositGas)),
            RlpItem.FromBytes([]), // isSystemTx = false (Regolith)
            RlpItem.FromBytes(EncodeCalldata(info))));
        return [DepositTxType, .. body];
    }

    /// <summary>Reads the L1 info back from a block's first transaction (the L1 origin and sequence number of an L2 block).</summary>
    public static L1Info DecodeTransaction(ReadOnlySpan<byte> tx)
    {
        if (tx.Length == 0 || tx[0] != DepositTxType) throw new FormatException("first transaction is not a deposit (type 0x7E)");
        var r = new RlpReader(tx[1..]);
        var f = r.EnterList();
        r.End();
        f.ReadHash();
        var from = f.ReadAddress();
        var to = f.ReadOptionalAddress();
        if (from != ProtocolConstants.L1InfoDepositor || to != ProtocolConstants.L1BlockPredeploy)
            throw new FormatException("first deposit is not from the L1 attributes depositor to the L1Block predeploy");
        f.ReadUInt256();
        f.ReadUInt256();
        f.ReadUInt64();
        f.ReadBytes();
        var data = f.ReadBytes();
        f.End();
        return DecodeCalldata(data);
    }
}
