using System.Buffers.Binary;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// SystemConfig's <c>ConfigUpdate(uint256 indexed version, uint8 indexed updateType, bytes data)</c> (version 0):
/// type 0 batcher hash, 1 fee scalars (overhead, scalar), 2 gas limit, 3 unsafe block signer (not used by derivation),
/// 5 operator fee parameters (Isthmus), and ours: 8 the gas token rate (uint256 gasTokenPerEth) the L1 data fee is converted at.
/// <c>data</c> is ABI-encoded bytes whose content is the ABI encoding of the new values.
/// </summary>
public static class SystemConfigUpdate
{
    public static readonly Hash256 EventTopic = Keccak256.Compute("ConfigUpdate(uint256,uint8,bytes)"u8);

    public static SystemConfig Apply(SystemConfig current, L1Log log)
    {
        if (log.Topics.Count != 3 || log.Topics[0] != EventTopic) return current;
        if (!log.Topics[1].IsZero) throw new FormatException($"ConfigUpdate version {log.Topics[1]} is not 0");
        var type = UInt256.FromBigEndian(log.Topics[2].Bytes);
        var payload = InnerBytes(log.Data);
        switch (type.IsUlong ? type.u0 : ulong.MaxValue)
        {
            case 0:
                Expect(payload, 32, "batcher");
                if (payload[..12].IndexOfAnyExcept((byte)0) >= 0) throw new FormatException("batcher hash is not a version-0 (padded address) hash");
                return current with { BatcherAddress = new Address(payload.Slice(12, 20)) };
            case 1:
                Expect(payload, 64, "fee scalars");
                return current with { Overhead = new Hash256(payload[..32]), Scalar = new Hash256(payload.Slice(32, 32)) };
            case 2:
                Expect(payload, 32, "gas limit");
                if (payload[..24].IndexOfAnyExcept((byte)0) >= 0) throw new FormatException("gas limit exceeds 64 bits");
                return current with { GasLimit = BinaryPrimitives.ReadUInt64BigEndian(payload[24..]) };
            case 3:
                return current;
            case 5:
                // Isthmus: uint256(operatorFeeScalar) << 64 | operatorFeeConstant
                Expect(payload, 32, "operator fee");
                if (payload[..20].IndexOfAnyExcept((byte)0) >= 0) throw new FormatException("operator fee parameters exceed 96 bits");
                return current with
                {
                    OperatorFeeScalar = BinaryPrimitives.ReadUInt32BigEndian(payload[20..]),
                    OperatorFeeConstant = BinaryPrimitives.ReadUInt64BigEndian(payload[24..]),
                };
            case 8:
                Expect(payload, 32, "gas token rate");
                return current with { GasTokenPerEth = UInt256.FromBigEndian(payload) };
            default:
                throw new FormatException($"unknown ConfigUpdate type {type}");
        }
    }

    private static void Expect(ReadOnlySpan<byte> payload, int length, string what)
    {
        if (payload.Length != length) throw new FormatException($"{what} update carries {payload.Length} bytes, expected {length}");
    }

    /// <summary>abi.decode(data, (bytes)) strictly: offset 32, a length, the bytes padded to 32.</summary>
    private static ReadOnlySpan<byte> InnerBytes(byte[] data)
    {
        if (data.Length < 64) throw new FormatException("ConfigUpdate data shorter than an ABI bytes value");
        var offset = UInt256.FromBigEndian(data.AsSpan(0, 32));
        if (offset != new UInt256(32)) throw new FormatException("ConfigUpdate data offset is not 32");
        var length = UInt256.FromBigEndian(data.AsSpan(32, 32));
        if (!length.IsUlong || length.u0 > (ulong)(data.Length - 64)) throw new FormatException("ConfigUpdate data length runs past the log");
        return data.AsSpan(64, (int)length.u0);
    }
}
