using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// The L1 system config values the L1 attributes carry into L2 (specs/protocol/system-config.md, Ecotone/Isthmus):
/// batcher hash (version 0: the batcher address left-padded), the two L1 data fee scalars, the Isthmus operator fee
/// and (ours) the gas token rate the L1 data fee is converted at.
/// The sequencer starts from the rollup configuration's genesis values; derivation updates them from L1 logs.
/// </summary>
public sealed record SystemConfigValues
{
    public Hash256 BatcherHash { get; init; }
    /// <summary>Scalar on the L1 base fee (OP mainnet uses 1368 at the time of writing).</summary>
    public uint BaseFeeScalar { get; init; }
    /// <summary>Scalar on the L1 blob base fee.</summary>
    public uint BlobBaseFeeScalar { get; init; }
    public uint OperatorFeeScalar { get; init; }
    public ulong OperatorFeeConstant { get; init; }
    /// <summary>
    /// OPEN wei per ETH wei, scaled by 1e18 (4000e18: one ETH is worth 4,000 OPEN): the rate the L1 data fee, an ETH
    /// amount, is converted to the gas token at. Set by governance in L1's SystemConfig; zero charges no L1 data fee.
    /// </summary>
    public UInt256 GasTokenPerEth { get; init; }

    /// <summary>Version-0 batcher hash of an address: 12 zero bytes then the address.</summary>
    public static Hash256 BatcherHashOf(Address batcher)
    {
        var bytes = new byte[32];
        batcher.Bytes.CopyTo(bytes.AsSpan(12));
        return new Hash256(bytes);
    }
}
