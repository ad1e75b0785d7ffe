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

    /// <summary>EIP-4844: the next block's excess blob gas from its parent's.</summary>
    public static ulong NextExcessBlobGas(ulong parentExcess, ulong parentBlobGasUsed, ulong targetBlobGasPerBlock) =>
        parentExcess + parentBlobGasUsed < targetBlobGasPerBlock ? 0 : parentExcess + parentBlobGasUsed - targetBlobGasPerBlock;
}
