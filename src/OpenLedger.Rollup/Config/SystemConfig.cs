namespace OpenLedger.Rollup.Config;

/// <summary>
/// The L1-governed parameters derivation reads (specs: system-config.md): the batcher hash (version 0: the batch
/// sender's address, left-padded), overhead and scalar (Ecotone: scalar = 0x01 ++ 0…0 ++ blobBaseFeeScalar u32 ++
/// baseFeeScalar u32; version 0 holds baseFeeScalar in its low bytes), the L2 gas limit and Isthmus' operator fee.
/// </summary>
public sealed record SystemConfig(Address BatcherAddress, Hash256 Overhead, Hash256 Scalar, ulong GasLimit)
{
    /// <summary>Isthmus operator fee parameters (ConfigUpdate type 5); zero unless L1 sets them.</summary>
    public uint OperatorFeeScalar { get; init; }
    public ulong OperatorFeeConstant { get; init; }
    /// <summary>Ours: OPEN wei per ETH wei (1e18 = 1), the L1 data fee's conversion rate (ConfigUpdate type 8; rollup.json genesis.system_config.gasTokenPerEth).</summary>
    public UInt256 GasTokenPerEth { get; init; }

    /// <summary>The values the L1 attributes deposit carries, in the chain's type.</summary>
    public Chain.Rollup.SystemConfigValues ToL1AttributesValues() => new()
    {
        BatcherHash = BatcherHash,
        BaseFeeScalar = BaseFeeScalar,
        BlobBaseFeeScalar = BlobBaseFeeScalar,
        OperatorFeeScalar = OperatorFeeScalar,
        OperatorFeeConstant = OperatorFeeConstant,
        GasTokenPerEth = GasTokenPerEth,
    };

    public Hash256 BatcherHash
    {
        get
        {
            var b = new byte[32];
            BatcherAddress.Bytes.CopyTo(b.AsSpan(12));
            return new Hash256(b);
        }
    }

    public uint BaseFeeScalar => ReadU32(28);

    public uint BlobBaseFeeScalar => Scalar.Bytes[0] == 1 ? ReadU32(24) : 0;

    private uint ReadU32(int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Scalar.Bytes[at..]);

    /// <summary>Ecotone scalar encoding for the two fee scalars.</summary>
    public static Hash256 EcotoneScalar(uint baseFeeScalar, uint blobBaseFeeScalar)
    {
        var b = new byte[32];
        b[0] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(24), blobBaseFeeScalar);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(28), baseFeeScalar);
        return new Hash256(b);
    }
}
