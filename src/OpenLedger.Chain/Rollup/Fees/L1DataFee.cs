using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup.Fees;

/// <summary>
/// What an L2 block's L1 data fee depends on: its L1 origin's base fee and blob base fee (ETH wei), the system config's
/// two scalars (1e6 = 1) and the gas token rate (OPEN wei per ETH wei, 1e18 = 1). All come from the block's L1
/// attributes deposit, so they can be read from <see cref="L1BlockInfo"/> or, equally, from the L1Block predeploy's
/// storage after that deposit (OP Stack: "two interchangeable ways").
/// </summary>
public readonly record struct L1FeeParams(UInt256 L1BaseFee, UInt256 L1BlobBaseFee, uint BaseFeeScalar, uint BlobBaseFeeScalar, UInt256 GasTokenPerEth)
{
    // L1Block storage (OP's layout; slot 9 is ours): basefee 1, scalars packed in 3, blobBaseFee 7, gasTokenPerEth 9.
    public static readonly UInt256 BaseFeeSlot = new(1), ScalarsSlot = new(3), BlobBaseFeeSlot = new(7), GasTokenPerEthSlot = new(9);

    public static L1FeeParams From(L1BlockInfo info) =>
        new(info.BaseFee, info.BlobBaseFee, info.SystemConfig.BaseFeeScalar, info.SystemConfig.BlobBaseFeeScalar, info.SystemConfig.GasTokenPerEth);

    /// <summary>From L1Block's storage, read through <paramref name="slot"/> (a world state, a trie at some root).</summary>
    public static L1FeeParams FromStorage(Func<UInt256, UInt256> slot)
    {
        var scalars = slot(ScalarsSlot);
        return new(slot(BaseFeeSlot), slot(BlobBaseFeeSlot),
            (uint)(scalars >> 96).u0, (uint)(scalars >> 64).u0, slot(GasTokenPerEthSlot));
    }
}

/// <summary>One transaction's L1 data fee and the figures op-geth puts in its receipt.</summary>
public readonly record struct L1FeeResult(UInt256 Fee, ulong L1GasUsed, L1FeeParams Params);

/// <summary>
/// The one home of the L1 data fee rule (OP Stack Fjord, specs/protocol/fjord/exec-engine.md), converted to the gas token:
/// <code>
/// fastlzSize   = FastLZ length of the signed transaction (its EIP-2718 encoding)
/// estimated    = max(minTransactionSize * 1e6, intercept + fastlzCoef * fastlzSize)        (bytes, scaled by 1e6)
/// feeScaled    = baseFeeScalar * l1BaseFee * 16 + blobBaseFeeScalar * l1BlobBaseFee          (ETH wei per byte, scaled by 1e6)
/// l1Fee (OPEN) = estimated * feeScaled * gasTokenPerEth / 1e30                                (1e6 * 1e6 * 1e18)
/// l1GasUsed    = estimated * 16 / 1e6
/// </code>
/// with OP's constants intercept = -42,585,600, fastlzCoef = 836,500, minTransactionSize = 100. The block executor charges
/// it, the pool checks it, RPC receipts report it and the GasPriceOracle predeploy computes the same from the unsigned
/// transaction plus 68 bytes (as OP's does). A product past 2^256 saturates (no transaction can pay it).
/// </summary>
public static class L1DataFee
{
    public const long CostIntercept = -42_585_600;
    public const long CostFastLzCoef = 836_500;
    public const long MinTransactionSize = 100;
    private static readonly UInt256 Scale = UInt256.Parse("1000000000000000000000000000000"); // 1e30

    /// <summary>
    /// What the transaction processor charges on a rollup: the rule over the signed transaction, with the parameters the
    /// block's L1 attributes deposit left in L1Block's storage; the fee goes to the L1FeeVault.
    /// </summary>
    public static readonly L1DataFeeRule Charge = new(Predeploys.L1FeeVault,
        (world, tx) => Compute(tx.Encode(), L1FeeParams.FromStorage(slot => world.GetStorage(Predeploys.L1Block, slot))).Fee);

    public static L1FeeResult Compute(ReadOnlySpan<byte> signedTx, in L1FeeParams p) => FromFastLzSize(FastLz.CompressedLength(signedTx), p);

    public static L1FeeResult FromFastLzSize(long fastLzSize, in L1FeeParams p)
    {
        var estimated = new UInt256((ulong)Math.Max(MinTransactionSize * 1_000_000, CostIntercept + CostFastLzCoef * fastLzSize));
        ulong gasUsed = (ulong)(estimated * new UInt256(16) / new UInt256(1_000_000)).u0;
        if (UInt256.MultiplyOverflow(new UInt256(p.BaseFeeScalar), p.L1BaseFee, out var baseTerm)
            || UInt256.MultiplyOverflow(baseTerm, new UInt256(16), out baseTerm)
            || UInt256.MultiplyOverflow(new UInt256(p.BlobBaseFeeScalar), p.L1BlobBaseFee, out var blobTerm)
            || UInt256.AddOverflow(baseTerm, blobTerm, out var feeScaled)
            || UInt256.MultiplyOverflow(estimated, feeScaled, out var product)
            || UInt256.MultiplyOverflow(product, p.GasTokenPerEth, out product))
            return new L1FeeResult(UInt256.MaxValue, gasUsed, p);
        return new L1FeeResult(product / Scale, gasUsed, p);
    }
}
