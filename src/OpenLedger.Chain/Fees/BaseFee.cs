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

    public const ulong TargetBlobGasPerBlock = 393216;
    public const ulong MinBlobBaseFee = 1;
    public const ulong BlobBaseFeeUpdateFraction = 3338477;

    public static ulong NextExcessBlobGas(ulong parentExcess, ulong parentBlobGasUsed) =>
        parentExcess + parentBlobGasUsed < TargetBlobGasPerBlock ? 0 : parentExcess + parentBlobGasUsed - TargetBlobGasPerBlock;

    /// <summary>fake_exponential(MIN_BLOB_BASE_FEE, excess, UPDATE_FRACTION) from EIP-4844.</summary>
    public static UInt256 BlobBaseFee(ulong excessBlobGas)
    {
        var factor = new UInt256(MinBlobBaseFee);
        var numerator = new UInt256(excessBlobGas);
        var denominator = new UInt256(BlobBaseFeeUpdateFraction);
        var output = UInt256.Zero;
        var accum = factor * denominator;
        for (ulong i = 1; !accum.IsZero; i++)
        {
            output += accum;
            accum = accum * numerator / (denominator * new UInt256(i));
        }
        return output / denominator;
    }
}
