using OpenLedger.Primitives;

namespace OpenLedger.Chain.Fees;

/// <summary>EIP-1559 base fee and EIP-4844 blob fee rules, with the L2's parameters from the chain config.</summary>
public static class BaseFee
{
    /// <summary>The next block's base fee from its parent (EIP-1559).</summary>
    public static UInt256 Next(UInt256 parentBaseFee, ulong parentGasUsed, ulong parentGasLimit, ulong elasticity, ulong changeDenominator, UInt256 minimum)
    {
        ulong target = parentGasLimit / elasticity;
        UInt256 next;
        if (target == 0 || parentGasUsed == target)
        {
            next = parentBaseFee;
        }
        else if (parentGasUsed > target)
        {
            var delta = parentBaseFee * new UInt256(parentGasUsed - target) / new UInt256(target) / new UInt256(changeDenominator);
            next = parentBaseFee + (delta.IsZero ? UInt256.One : delta);
        }
        else
        {
            var delta = parentBaseFee * new UInt256(target - parentGasUsed) / new UInt256(target) / new UInt256(changeDenominator);
            next = parentBaseFee - delta;
        }
        return next < minimum ? minimum : next;
    }

    /// <summary>
    /// EIP-4844: the next block's excess blob gas from its parent's, with the child's fork parameters (EIP-7691 counts).
    /// From Osaka (EIP-7918), while blob gas is priced below <c>BlobBaseCost</c> execution gas, excess only grows:
    /// by blob gas used scaled by (max - target) / max.
    /// </summary>
    public static ulong NextExcessBlobGas(ulong parentExcess, ulong parentBlobGasUsed, in UInt256 parentBaseFee, in UInt256 parentBlobBaseFee, ForkSpec spec)
    {
        ulong target = spec.TargetBlobGasPerBlock;
        if (parentExcess + parentBlobGasUsed < target) return 0;
        if (spec.BlobBaseCost != 0
            && new UInt256(spec.BlobBaseCost) * parentBaseFee > new UInt256(spec.BlobGasPerBlob) * parentBlobBaseFee)
            return parentExcess + parentBlobGasUsed * (ulong)(spec.MaxBlobsPerBlock - spec.TargetBlobsPerBlock) / (ulong)spec.MaxBlobsPerBlock;
        return parentExcess + parentBlobGasUsed - target;
    }
}
